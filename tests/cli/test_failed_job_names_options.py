"""A job that fails on the worker for its input is said with the options the command took, as a refusal is."""

from __future__ import annotations

import wave
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner, Result

from reelgen.api.sse import format_event
from reelgen.cli import app as cli_app
from reelgen.cli import client as client_cli
from reelgen.core.errors import InvalidRequest
from reelgen.core.face.detect import FaceBox, choose

VIDEO_ID = "video_" + "1" * 32
SERVER = "http://reelgen.test"


def _failing(monkeypatch: pytest.MonkeyPatch, error: dict[str, str]) -> list[str]:
    """A server that takes any create, then ends the job with ``error``; returns the paths asked for."""
    asked: list[str] = []
    video = {"id": VIDEO_ID, "status": "queued", "progress": 0, "model": "reelgen-micro", "size": "64x64"}

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(f"{request.method} {request.url.path}")
        if request.method == "POST":
            return httpx.Response(202, json=video)
        failed = format_event("failed", {**video, "status": "failed", "error": error}, event_id=1)
        return httpx.Response(200, text=failed, headers={"Content-Type": "text/event-stream"})

    def client(server: str, api_key: str | None, timeout: object = None) -> httpx.Client:
        return httpx.Client(base_url=server, transport=httpx.MockTransport(answer))

    monkeypatch.setattr(client_cli, "_client", client)
    return asked


def _said(out: Result) -> str:
    return " ".join(out.output.split())


def _dub(tmp_path: Path, *args: str) -> Result:
    (tmp_path / "talk.mp4").write_bytes(b"a video")
    # A real WAV: avatar --server refuses a voice that is no audio before the upload.
    with wave.open(str(tmp_path / "dub.wav"), "wb") as voice:
        voice.setnchannels(1)
        voice.setsampwidth(2)
        voice.setframerate(16000)
        voice.writeframes(b"\x10\x00" * 8000)
    typed = ["--video", str(tmp_path / "talk.mp4"), "--audio", str(tmp_path / "dub.wav"), *args]
    return CliRunner().invoke(cli_app, ["avatar", *typed, "--server", SERVER, "-q"])


def _out_of_range(index: int) -> str:
    """The worker's words for a face index past the faces found (the avatar kind says the field plainly)."""
    with pytest.raises(InvalidRequest) as refused:
        choose([FaceBox(0, 0, 60, 60), FaceBox(100, 0, 60, 60)], index, "the video")
    return refused.value.message


@pytest.mark.parametrize(
    "message",
    [_out_of_range(5).replace("options.face_index", "face_index"), _out_of_range(5)],
    ids=["avatar-field", "core-field"],
)
def test_avatar_dubbing_a_face_the_video_lacks_names_face_index(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, message: str
) -> None:
    """Found only while the job ran: it said 'face_index 5 is out of range', a name never typed."""
    asked = _failing(monkeypatch, {"code": "invalid_request", "message": message})
    out = _dub(tmp_path, "--face-index", "5")
    assert out.exit_code == 1, out.output
    said = _said(out)
    assert "failed: invalid_request --face-index 5 is out of range: 2 faces found in the video" in said
    assert "face_index" not in said
    assert asked == ["POST /v1/avatars", f"GET /v1/videos/{VIDEO_ID}/events"]  # nothing downloaded
    assert not (tmp_path / "outputs").exists()


def test_avatar_a_video_with_no_frames_names_video(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _failing(monkeypatch, {"code": "invalid_request", "message": "source_video: the video has no frames"})
    out = _dub(tmp_path)
    assert out.exit_code == 1 and "failed: invalid_request --video: the video has no frames" in _said(out)


def test_submit_watch_names_the_option_a_model_refused_while_running(monkeypatch: pytest.MonkeyPatch) -> None:
    message = "options.extend_context_frames 10 must be 8k+1; nearest valid: 9 or 17"
    _failing(monkeypatch, {"code": "invalid_request", "message": message})
    typed = ["submit", "a fox", "--option", "extend_context_frames=10", "--watch", "--server", SERVER]
    out = CliRunner().invoke(cli_app, typed)
    assert out.exit_code == 1, out.output
    assert "failed: invalid_request --option extend_context_frames 10 must be 8k+1" in _said(out)


def test_remix_watch_names_the_option(monkeypatch: pytest.MonkeyPatch) -> None:
    _failing(monkeypatch, {"code": "invalid_request", "message": "num_inference_steps 900 is above 500"})
    out = CliRunner().invoke(
        cli_app, ["remix", VIDEO_ID, "a fox", "--steps", "900", "--watch", "--server", SERVER]
    )
    assert out.exit_code == 1 and "failed: invalid_request --steps 900 is above 500" in _said(out)


@pytest.mark.parametrize(
    ("command", "error"),
    [
        # A failure not of the input keeps the server's words, whatever word it starts with.
        (
            ["submit", "a fox", "--watch"],
            {"code": "out_of_memory", "message": "seed 3 ran out of GPU memory"},
        ),
        # `watch` typed no option: a field stays the field.
        (["watch", VIDEO_ID], {"code": "invalid_request", "message": "options.shift 0 must be above 0"}),
    ],
)
def test_other_failures_are_said_as_the_server_said_them(
    monkeypatch: pytest.MonkeyPatch, command: list[str], error: dict[str, str]
) -> None:
    _failing(monkeypatch, error)
    out = CliRunner().invoke(cli_app, [*command, "--server", SERVER])
    assert out.exit_code == 1 and f"failed: {error['code']} {error['message']}" in _said(out)
