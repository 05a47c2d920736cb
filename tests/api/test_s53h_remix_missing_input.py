"""A remix refused for an upload or LoRA that is gone names it in its error object, for a client to say in its terms."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from reelgen.jobs.service import JobService
from tests.api.conftest import png
from tests.lora_files import write_lora


def test_a_remix_refused_for_a_swept_start_image_names_the_field_to_send_it_in(client: TestClient) -> None:
    made = client.post(
        "/v1/videos",
        data={"prompt": "a red fox", "model": "wan-i2v-tiny"},
        files={"input_reference": ("fox.png", png(), "image/png")},
    ).json()
    service: JobService = client.app.state.service  # type: ignore[attr-defined]
    for upload in service.artifacts.inputs.iterdir():
        upload.unlink()  # as retention removes an upload once its video's files expire
    resp = client.post(f"/v1/videos/{made['id']}/remix", json={"prompt": "the fox at night"})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    # Only the words said which input: a client (the CLI) could not say "send it again with --image"
    # without reading the server's prose.
    assert (error["code"], error["param"], error["missing_input"]) == (
        "not_remixable",
        "video_id",
        "input_reference",
    )
    assert error["message"].endswith("make a new video with POST /v1/videos, sending the image again")


def test_a_remix_refused_for_a_lora_gone_names_the_lora(
    make_client: Callable[..., TestClient], tmp_path: Path
) -> None:
    folder = tmp_path / "loras"
    folder.mkdir()
    lora = write_lora(folder / "style.safetensors")
    client = make_client(lora_dir=folder)
    made = client.post(
        "/v1/videos", json={"prompt": "waves", "model": "ltx-tiny", "loras": [{"name": "style.safetensors"}]}
    )
    assert made.status_code == 202, made.text
    lora.unlink()
    resp = client.post(f"/v1/videos/{made.json()['id']}/remix", json={"prompt": "calm waves"})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert (error["code"], error["missing_lora"]) == ("not_remixable", "style.safetensors")
    assert "missing_input" not in error
