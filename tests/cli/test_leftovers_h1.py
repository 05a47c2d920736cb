"""A remix's refusal of a field it kept from the video remixed says so (not an option never typed),
``enhance --server`` names IN, not the upload's multipart field, when the server refuses the file, and a
batch stopped by a kill says what it kept, as one stopped with Ctrl-C does."""

from __future__ import annotations

import os
import shutil
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image
from skimage import data
from typer.testing import CliRunner, Result

from reelgen.api.sse import format_event
from reelgen.cli import app
from reelgen.cli import client as client_cli
from reelgen.core.batch import run as batch_run
from tests.api.serving import serving_jobtest
from tests.cli.reelgen_main import run_reelgen

runner = CliRunner()
PARENT = "video_" + "2" * 32
SERVER = "http://reelgen.test"


def said(result: Result) -> str:
    return " ".join(result.output.split())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One job service (one worker process) behind the API for the module's tests that talk to a server.

    Each checks how a request the server refuses is said; the API reads $REELGEN_MODELS_DIR (a test's
    own) as each request comes, and the one job any makes (the remix test's parent) is never waited
    for, so no test needs a server of its own.
    """
    with serving_jobtest(tmp_path_factory.mktemp("leftovers") / "jobs") as url:
        yield url


def test_remix_of_a_model_gone_since_says_the_model_came_from_the_video(server: str) -> None:
    """It said ``--model 'wan-1.3b' has no weights``: remix has no --model, and nothing of it was typed."""
    weights = Path(os.environ["REELGEN_MODELS_DIR"]) / "wan-1.3b"
    weights.mkdir(parents=True)
    # A whole folder names its parts: "{}" alone is a copy with none of them (partial).
    (weights / "model_index.json").write_text(
        '{"scheduler": ["diffusers", "FlowMatchEulerDiscreteScheduler"]}'
    )
    (weights / "scheduler").mkdir()
    (weights / "scheduler" / "scheduler_config.json").write_text("{}")
    made = runner.invoke(app, ["submit", "waves", "--model", "wan-1.3b", "--steps", "3", "--server", server])
    assert made.exit_code == 0, made.output
    parent = made.stdout.split()[0]
    # What was typed keeps its option.
    typed = runner.invoke(app, ["remix", parent, "waves at night", "--steps", "0", "--server", server])
    assert typed.exit_code == 2, typed.output
    assert "error: HTTP 400: --steps: " in said(typed) and "came from" not in said(typed)
    (weights / "model_index.json").unlink()
    kept = runner.invoke(app, ["remix", parent, "waves at night", "--server", server])
    assert kept.exit_code == 2, kept.output
    assert "error: HTTP 400: model 'wan-1.3b' has no weights on this server" in said(kept)
    assert said(kept).endswith(
        f"; model 'wan-1.3b' came from {parent}, the video remixed, not from this command: "
        "a remix keeps it; `reelgen submit --model` makes a new video with another"
    )
    assert "--model 'wan-1.3b'" not in said(kept)


def _server(monkeypatch: pytest.MonkeyPatch, refusal: dict[str, Any] | None, failure: str = "") -> None:
    """A server whose remix answers ``refusal`` (400), or queues a job that fails with ``failure``."""
    steps = {"num_inference_steps": 900, "options": {"flow_shift": 0.0}}
    parent = {"id": PARENT, "model": "wan-1.3b", "seed": 7, "parameters": steps}
    video = {
        "id": "video_" + "3" * 32,
        "status": "queued",
        "progress": 0,
        "model": "wan-1.3b",
        "size": "64x64",
    }

    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return (
                httpx.Response(400, json={"error": refusal}) if refusal else httpx.Response(202, json=video)
            )
        if request.url.path.endswith("/events"):
            error = {"code": "invalid_request", "message": failure}
            ended = format_event("failed", {**video, "status": "failed", "error": error}, event_id=1)
            return httpx.Response(200, text=ended, headers={"Content-Type": "text/event-stream"})
        return httpx.Response(200, json=parent)

    def client(server: str, api_key: str | None, timeout: object = None) -> httpx.Client:
        return httpx.Client(base_url=server, transport=httpx.MockTransport(answer))

    monkeypatch.setattr(client_cli, "_client", client)


@pytest.mark.parametrize(
    ("param", "message", "expected"),
    [
        (
            "num_inference_steps",
            "num_inference_steps 900 is above this server's cap of 500",
            "num_inference_steps 900 is above this server's cap of 500; num_inference_steps 900 came from "
            f"{PARENT}, the video remixed, not from this command: give --steps to override it",
        ),
        (
            "options.flow_shift",
            "options.flow_shift 0 must be above 0",
            f"options.flow_shift 0 must be above 0; options.flow_shift 0.0 came from {PARENT}, the video "
            "remixed, not from this command: a remix keeps it; `reelgen submit --option flow_shift=VALUE` "
            "makes a new video with another",
        ),
    ],
    ids=["steps", "option"],
)
def test_remix_names_the_remixed_video_for_a_field_not_typed(
    monkeypatch: pytest.MonkeyPatch, param: str, message: str, expected: str
) -> None:
    _server(monkeypatch, {"message": message, "param": param})
    out = runner.invoke(app, ["remix", PARENT, "a fox", "--server", SERVER])
    assert out.exit_code == 2, out.output
    assert said(out) == f"error: HTTP 400: {expected}"


def test_remix_typed_option_refused_keeps_naming_the_option(monkeypatch: pytest.MonkeyPatch) -> None:
    _server(monkeypatch, {"message": "num_inference_steps 900 is above 500", "param": "num_inference_steps"})
    out = runner.invoke(app, ["remix", PARENT, "a fox", "--steps", "900", "--server", SERVER])
    assert out.exit_code == 2 and said(out) == "error: HTTP 400: --steps 900 is above 500", out.output


def test_remix_watch_failure_of_a_kept_option_is_not_said_as_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A failed remix said ``--option extend_context_frames 10``, an option remix has not."""
    _server(monkeypatch, None, failure="options.extend_context_frames 10 must be 8k+1")
    out = runner.invoke(app, ["remix", PARENT, "a fox", "--watch", "--server", SERVER])
    assert out.exit_code == 1, out.output
    assert "failed: invalid_request options.extend_context_frames 10 must be 8k+1" in said(out)
    assert "--option" not in out.output


@pytest.mark.parametrize("content", [b"", b"notes, not a video"], ids=["empty", "text"])
def test_enhance_on_a_server_names_in_when_the_file_is_refused(
    server: str, tmp_path: Path, content: bytes
) -> None:
    """It said ``file: not a readable video``: ``file`` is the upload's multipart field, never typed."""
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(content)
    out = runner.invoke(
        app, ["enhance", str(clip), "-o", str(tmp_path / "big.mp4"), "--upscale", "2", "--server", server]
    )
    assert out.exit_code == 2, out.output
    assert said(out).startswith(f"error: HTTP 400: IN {clip}: not a readable video")
    # The field's name, not the word ("... (the file is empty)" since 1ccdb756).
    assert "file:" not in said(out).replace(str(clip), "IN")
    assert not (tmp_path / "big.mp4").exists()


@pytest.fixture(scope="module")
def pictures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three photos a batch is made of, PNG-compressed once for the module (each test copies them)."""
    folder = tmp_path_factory.mktemp("pictures")
    for name in ("astronaut", "camera", "coffee"):
        Image.fromarray(getattr(data, name)()).convert("RGB").save(folder / f"{name}.png")
    return folder


@pytest.mark.parametrize(
    ("signum", "code", "cause"),
    [(signal.SIGTERM, 143, "stopped by SIGTERM"), (signal.SIGINT, 130, "cancelled with Ctrl-C")],
    ids=["kill", "ctrl-c"],
)
def test_a_batch_stopped_by_a_kill_says_what_it_kept_as_ctrl_c_does(
    pictures: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    signum: int,
    code: int,
    cause: str,
) -> None:
    """A kill said only "stopped by SIGTERM; nothing half-written was left": not that the first item
    was made and kept, nor that running the batch again does the rest, as Ctrl-C says.

    `reelgen batch` runs through main() in this process (reelgen_main.py says why), and is sent the
    signal as its second item starts rendering, then waits there, stopping at a cancel (a first
    Ctrl-C) as a render's steps do: the signal reaches its handlers as one from outside would."""
    shots = Path(shutil.copytree(pictures, tmp_path / "shots"))
    defaults = tmp_path / "defaults.yaml"
    defaults.write_text(
        "model: ken-burns\nwidth: 64\nheight: 48\nnum_frames: 9\nfps: 8\nmotion: {preset: zoom-in}\n"
    )
    made = runner.invoke(app, ["manifest", "create", str(shots), "--defaults", str(defaults)])
    assert made.exit_code == 0, made.output
    real, calls = batch_run._render, []

    def render(planned: Any, progress: Any, *args: Any) -> Any:
        calls.append(planned.output)
        if len(calls) == 2:
            os.kill(os.getpid(), signum)
            for _ in range(1200):
                progress.cancel.check()
                time.sleep(0.05)
        return real(planned, progress, *args)

    monkeypatch.setattr(batch_run, "_render", render)
    run = run_reelgen(monkeypatch, capfd, "batch", str(shots / "manifest.json"), "-q")
    stdout, stderr = run.stdout, run.stderr
    assert len(calls) == 2, stderr  # it was signalled as the second item began, and went no further
    assert run.returncode == code, stderr
    assert " ".join(stderr.split()).endswith(
        f"error: batch {cause} after 1 of 3 item(s): 1 finished and kept, the item in progress wrote no "
        "file; run the batch again to do the other 2"
    ), stderr
    assert "nothing half-written" not in stderr  # one line says the stop, as a Ctrl-C's does
    outputs = shots / "outputs"
    assert (outputs / "astronaut.mp4").is_file() and not (outputs / "camera.mp4").exists()
    assert not (outputs / "batch-summary.json").exists() and stdout == ""
