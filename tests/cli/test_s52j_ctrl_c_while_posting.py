"""Ctrl-C (or a kill) while a ``--server`` command waits for its POST's answer: the server may have
queued the job, and the words say so and how to find and stop it, not "nothing half-written was left"."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.cli.sigterm import Terminated
from tests.cli.test_client_auth import SERVER, answered_by, said

runner = CliRunner()


def stopped_at_post(monkeypatch: pytest.MonkeyPatch, stop: type[BaseException]) -> list[str]:
    """The server's POST answer never comes: ``stop`` arrives while it is awaited."""
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(f"{request.method} {request.url.path}")
        if request.method == "POST":
            raise stop
        job = {"id": "video_" + "0" * 32, "status": "queued", "progress": 0, "model": "m", "size": "64x64"}
        return httpx.Response(200, json={"object": "video", **job})

    answered_by(monkeypatch, handler)
    return sent


@pytest.mark.parametrize("command", ["submit", "avatar", "enhance"])
def test_ctrl_c_before_the_post_is_answered_says_the_job_may_be_queued(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: str
) -> None:
    face = tmp_path / "face.png"
    face.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    args = {
        "submit": ["submit", "a fox in snow"],
        "avatar": ["avatar", "--image", str(face), "--text", "hello there"],
        "enhance": ["enhance", "video_" + "0" * 32, "--upscale", "2"],
    }[command]
    sent = stopped_at_post(monkeypatch, KeyboardInterrupt)
    out = runner.invoke(app, [*args, "--server", SERVER])
    assert any(s.startswith("POST ") for s in sent), (sent, out.output)
    assert out.exit_code == 130, out.output
    words = said(out.stderr)
    assert "nothing half-written" not in words
    assert f"stopped with Ctrl-C before {SERVER} answered; the server may have queued the job anyway" in words
    assert f"reelgen list --server {SERVER} shows it" in words
    assert f"reelgen cancel ID --server {SERVER} stops it" in words


def test_a_kill_before_the_post_is_answered_says_the_job_may_be_queued(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stopped_at_post(monkeypatch, Terminated)
    out = runner.invoke(app, ["submit", "a fox in snow", "--server", SERVER])
    assert out.exit_code == 143, out.output
    words = said(out.stderr)
    assert f"stopped by SIGTERM before {SERVER} answered; the server may have queued the job anyway" in words
    assert "nothing half-written" not in words


def test_ctrl_c_while_cancelling_does_not_speak_of_a_queued_job(monkeypatch: pytest.MonkeyPatch) -> None:
    stopped_at_post(monkeypatch, KeyboardInterrupt)
    out = runner.invoke(app, ["cancel", "video_" + "0" * 32, "--server", SERVER])
    assert out.exit_code == 130, out.output
    assert "may have queued" not in said(out.stderr)
