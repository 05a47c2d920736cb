"""`reelgen avatar|enhance --server -o NAME.mp4` leave NAME.json describing the video downloaded, as a local run does."""

from __future__ import annotations

import json
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import httpx
import numpy as np
import pytest
from typer.testing import CliRunner, Result

from reelgen.api.sse import format_event
from reelgen.cli import app as cli_app
from reelgen.cli import client as client_cli
from reelgen.core.encode import read_metadata, write_frames

VIDEO_ID = "video_" + "2" * 32
SERVER = "http://reelgen.test"
RECORD = {
    "record_format": 2,
    "request": {"model": "reelgen-lipsync", "seed": 11, "speech_text": "Good morning."},
}


def _server(monkeypatch: pytest.MonkeyPatch, content: bytes) -> None:
    """A server that takes the job, ends it completed and serves ``content`` as its MP4."""
    video = {"id": VIDEO_ID, "status": "queued", "progress": 0, "model": "reelgen-lipsync", "size": "64x64"}

    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(202, json=video)
        if request.url.path.endswith("/events"):
            done = format_event("completed", {**video, "status": "completed", "progress": 100}, event_id=1)
            return httpx.Response(200, text=done, headers={"Content-Type": "text/event-stream"})
        if request.url.path.endswith("/content"):
            return httpx.Response(200, content=content, headers={"Content-Type": "video/mp4"})
        return httpx.Response(200, json={**video, "status": "completed", "progress": 100})

    def client(server: str, api_key: str | None, timeout: object = None) -> httpx.Client:
        return httpx.Client(base_url=server, transport=httpx.MockTransport(answer))

    monkeypatch.setattr(client_cli, "_client", client)


def _earlier(request: dict[str, object]) -> dict[str, object]:
    """The record a local run wrote beside hi.mp4 (one reelgen wrote, which a new video may replace)."""
    return {"reelgen": "0.1.0", "output": {"path": "hi.mp4"}, "request": request}


def _made_by_server(tmp_path: Path, record: dict[str, object] | None) -> bytes:
    made = tmp_path / "server" / "made.mp4"
    made.parent.mkdir()
    frames = [np.full((64, 64, 3), 40 * i, np.uint8) for i in range(3)]
    write_frames(frames, (64, 64), Fraction(25), made, record)
    return made.read_bytes()


def _avatar(tmp_path: Path, out: Path) -> Result:
    (tmp_path / "face.png").write_bytes(b"a photo")
    typed = ["--image", str(tmp_path / "face.png"), "--text", "Good morning.", "-o", str(out)]
    return CliRunner().invoke(cli_app, ["avatar", *typed, "--server", SERVER, "-q"])


def _enhance(tmp_path: Path, out: Path) -> Result:
    (tmp_path / "face.png").write_bytes(b"a clip to upload")  # the same name, so the folder reads alike
    typed = [str(tmp_path / "face.png"), "--upscale", "2", "-o", str(out)]
    return CliRunner().invoke(cli_app, ["enhance", *typed, "--server", SERVER, "-q"])


@pytest.mark.parametrize("command", [_avatar, _enhance], ids=["avatar", "enhance"])
def test_the_record_beside_is_the_downloaded_videos_not_the_one_it_replaced(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: Callable[[Path, Path], Result]
) -> None:
    """A local run made hi.mp4 and hi.json; a --server run over it replaced hi.mp4 and left the old
    hi.json, so `reelgen replay hi.json` made the earlier video again (another voice, another seed)."""
    _server(monkeypatch, _made_by_server(tmp_path, RECORD))
    out = tmp_path / "hi.mp4"
    out.write_bytes(b"the earlier video")
    (tmp_path / "hi.json").write_text(json.dumps(_earlier({"seed": 1, "speech_audio": "/old/voice.wav"})))
    done = command(tmp_path, out)
    assert done.exit_code == 0, done.output
    assert read_metadata(out) == RECORD
    assert json.loads((tmp_path / "hi.json").read_text()) == RECORD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["face.png", "hi.json", "hi.mp4", "server"]


@pytest.mark.parametrize("command", [_avatar, _enhance], ids=["avatar", "enhance"])
def test_a_video_with_no_record_keeps_no_earlier_record_beside_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: Callable[[Path, Path], Result]
) -> None:
    _server(monkeypatch, _made_by_server(tmp_path, None))
    out = tmp_path / "hi.mp4"
    (tmp_path / "hi.json").write_text(json.dumps(_earlier({"seed": 1})))
    done = command(tmp_path, out)
    assert done.exit_code == 0, done.output
    assert out.stat().st_size > 1000
    assert not (tmp_path / "hi.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["face.png", "hi.mp4", "server"]


@pytest.mark.parametrize("command", [_avatar, _enhance], ids=["avatar", "enhance"])
def test_a_persons_own_json_beside_the_output_is_kept_and_nothing_is_sent(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: Callable[[Path, Path], Result]
) -> None:
    # avatar --server replaced notes of one's own named hi.json with the downloaded video's record.
    sent: list[str] = []
    monkeypatch.setattr(client_cli, "_client", lambda *args, **kwargs: sent.append("a request") or None)
    (tmp_path / "hi.json").write_text('{"my": "notes"}')
    done = command(tmp_path, tmp_path / "hi.mp4")
    assert done.exit_code == 2, done.output
    assert "which is not a record reelgen wrote" in " ".join(done.output.split())
    assert (tmp_path / "hi.json").read_text() == '{"my": "notes"}' and sent == []
