"""What the server job commands print when the job completes: a hint to download only where nothing was downloaded."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from reelgen.cli import app as cli_app
from tests.cli.test_server_download_record import RECORD, SERVER, VIDEO_ID, _made_by_server, _server

runner = CliRunner()


def _avatar(tmp_path: Path, out: Path) -> list[str]:
    (tmp_path / "face.png").write_bytes(b"a photo")
    return [
        "avatar",
        "--image",
        str(tmp_path / "face.png"),
        "--text",
        "Hi.",
        "-o",
        str(out),
        "--server",
        SERVER,
    ]


def _enhance(tmp_path: Path, out: Path) -> list[str]:
    (tmp_path / "clip.mp4").write_bytes(b"a clip to upload")
    return ["enhance", str(tmp_path / "clip.mp4"), "--upscale", "2", "-o", str(out), "--server", SERVER]


@pytest.mark.parametrize("command", [_avatar, _enhance], ids=["avatar", "enhance"])
def test_a_command_that_downloads_the_video_does_not_say_to_download_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: object
) -> None:
    """Its end said "completed: reelgen download video_..." and then the path of the file it had
    just downloaded: the hint sent people to fetch again what was already beside them."""
    _server(monkeypatch, _made_by_server(tmp_path, RECORD))
    out = tmp_path / "hi.mp4"
    done = runner.invoke(cli_app, command(tmp_path, out))  # type: ignore[operator]
    assert done.exit_code == 0, done.output
    assert "reelgen download" not in done.output
    assert done.stdout.strip() == str(out) and out.stat().st_size > 1000


def test_submit_watch_still_says_how_to_download(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _server(monkeypatch, b"never asked for")
    asked: list[str] = []
    real = httpx.Client.send

    def send(self: httpx.Client, request: httpx.Request, **kwargs: object) -> httpx.Response:
        asked.append(request.url.path)
        return real(self, request, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(httpx.Client, "send", send)
    done = runner.invoke(cli_app, ["submit", "a fox", "--watch", "--server", SERVER])
    assert done.exit_code == 0, done.output
    assert f"completed: reelgen download {VIDEO_ID}" in done.stderr
    assert not any(path.endswith("/content") for path in asked)  # it downloaded nothing itself
