"""`reelgen remix` of a video whose upload is gone says how to make a new one with commands, not HTTP routes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from reelgen.cli import app as cli_app
from reelgen.cli import client as client_cli
from reelgen.jobs.service import JobService
from tests.api.conftest import data_dir, make_client, png  # noqa: F401  (fixtures)
from tests.lora_files import write_lora


def test_a_remix_whose_start_image_is_gone_names_reelgen_submit_image(
    make_client: Callable[..., TestClient],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = make_client()

    @contextmanager
    def the_app(*_: object, **__: object) -> Iterator[TestClient]:
        yield server  # kept open: the fixture closes it

    monkeypatch.setattr(client_cli, "_client", the_app)
    made = server.post(
        "/v1/videos",
        data={"prompt": "a red fox", "model": "wan-i2v-tiny"},
        files={"input_reference": ("fox.png", png(), "image/png")},
    ).json()
    service: JobService = server.app.state.service  # type: ignore[attr-defined]
    for upload in service.artifacts.inputs.iterdir():
        upload.unlink()  # as retention removes an upload once its video's files expire
    out = CliRunner().invoke(cli_app, ["remix", made["id"], "the fox at night", "--server", "http://test"])
    said = " ".join(out.output.split())
    # It said "make a new video with POST /v1/videos, sending the image again": a route, no command.
    assert out.exit_code == 2, out.output
    assert said == (
        f"error: HTTP 400: video {made['id']} cannot be remixed: the image it started from is no longer on "
        "the server (an upload goes once its video's files expire); make a new video from the image with: "
        "reelgen submit 'the fox at night' --image FILE -m wan-i2v-tiny"
    )
    assert "/v1/" not in said and "input_reference" not in said


def test_a_remix_whose_end_image_is_gone_says_what_the_cli_can_do(
    make_client: Callable[..., TestClient],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = make_client()

    @contextmanager
    def the_app(*_: object, **__: object) -> Iterator[TestClient]:
        yield server  # kept open: the fixture closes it

    monkeypatch.setattr(client_cli, "_client", the_app)
    made = server.post(
        "/v1/videos",
        data={"prompt": "a red fox", "model": "ltx-tiny"},
        files={
            "input_reference": ("start.png", png(), "image/png"),
            "end_image": ("end.png", png(), "image/png"),
        },
    )
    assert made.status_code == 202, made.text
    service: JobService = server.app.state.service  # type: ignore[attr-defined]
    (end,) = [f for f in service.artifacts.inputs.iterdir() if f.name.endswith("-end.png")]
    end.unlink()
    out = CliRunner().invoke(cli_app, ["remix", made.json()["id"], "dusk", "--server", "http://test"])
    said = " ".join(out.output.split())
    assert out.exit_code == 2, out.output
    # submit has no option for an end image: it says so, and what can send one.
    assert said.endswith(
        "is no longer on the server (an upload goes once its video's files expire); `reelgen submit` sends a "
        "start image only (--image), not the end image: `reelgen generate ... --end-image FILE` makes one on "
        "this machine, or send it to the server's POST /v1/videos as the file field end_image"
    ), said
    assert "its end image is no longer" in said


def test_a_remix_whose_lora_is_gone_names_no_route(
    make_client: Callable[..., TestClient],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    folder = tmp_path / "loras"
    folder.mkdir()
    lora = write_lora(folder / "style.safetensors")
    server = make_client(lora_dir=folder)

    @contextmanager
    def the_app(*_: object, **__: object) -> Iterator[TestClient]:
        yield server  # kept open: the fixture closes it

    monkeypatch.setattr(client_cli, "_client", the_app)
    body = {"prompt": "waves", "model": "ltx-tiny", "loras": [{"name": "style.safetensors"}]}
    made = server.post("/v1/videos", json=body).json()
    lora.unlink()
    out = CliRunner().invoke(cli_app, ["remix", made["id"], "calm waves", "--server", "http://test"])
    said = " ".join(out.output.split())
    assert out.exit_code == 2, out.output
    assert said == (
        f"error: HTTP 400: video {made['id']} cannot be remixed: its LoRA 'style.safetensors' is no longer in "
        "the server's LoRA folder; put it back in that folder (`reelgen serve` names it as it starts: "
        '"LoRAs from ..."); `reelgen submit` cannot send a LoRA'
    )
