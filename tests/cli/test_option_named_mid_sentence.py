"""A server's words naming a field mid-sentence ("list again without after") name the option typed."""

from __future__ import annotations

import httpx
import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.cli import client as client_cli


def _refusing(monkeypatch: pytest.MonkeyPatch, param: str, message: str) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        error = {
            "message": message,
            "type": "invalid_request_error",
            "param": param,
            "code": "invalid_request",
        }
        return httpx.Response(400, json={"error": error})

    def client(server: str, api_key: str | None, timeout: object = None) -> httpx.Client:
        return httpx.Client(base_url=server, transport=httpx.MockTransport(answer))

    monkeypatch.setattr(client_cli, "_client", client)


def test_list_after_says_without_the_option(monkeypatch: pytest.MonkeyPatch) -> None:
    # It read "--after: no video 'video_nope' ...; list again without after, ...": no such word to leave out.
    _refusing(
        monkeypatch,
        "after",
        "after: no video 'video_nope' to continue from; list again without after, or from a video that still exists",
    )
    result = CliRunner().invoke(app, ["list", "--after", "video_nope", "--server", "http://127.0.0.1:8000"])
    assert " ".join(result.output.split()) == (
        "error: HTTP 400: --after: no video 'video_nope' to continue from; list again without --after, or "
        "from a video that still exists"
    )
    assert result.exit_code == 2


def test_submit_seed_says_leave_the_option_out(monkeypatch: pytest.MonkeyPatch) -> None:
    _refusing(
        monkeypatch,
        "seed",
        "seed: -5 does not mean random here: give a whole number from 0 to 2^63-1, or leave seed out for a "
        "random one",
    )
    result = CliRunner().invoke(app, ["submit", "a fox", "--seed", "-5", "--server", "http://127.0.0.1:8000"])
    said = " ".join(result.output.split())
    assert said.startswith("error: HTTP 400: --seed: -5 does not mean random here")
    assert said.endswith("or leave --seed out for a random one")
