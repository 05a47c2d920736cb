"""The job commands against a server answering JSON of another shape say it is not a reelgen server."""

from __future__ import annotations

import httpx
import pytest
from typer.testing import CliRunner

from reelgen.cli import app as cli_app
from reelgen.cli import client as client_cli

VIDEO_ID = "video_" + "6" * 32


@pytest.mark.parametrize(
    "args",
    [["status", VIDEO_ID], ["cancel", VIDEO_ID], ["delete", VIDEO_ID], ["submit", "a fox"], ["list"]],
)
@pytest.mark.parametrize("body", [b'{"ok": true}', b'{"data": [{"name": "x"}]}'])
def test_another_apis_json_is_said_as_another_server_not_a_key_error(
    monkeypatch: pytest.MonkeyPatch, args: list[str], body: bytes
) -> None:
    # Another service on port 8000 (the default) answering 200 with its own JSON: a KeyError traceback.
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Type": "application/json"}, content=body)

    def client(server: str, api_key: str | None, timeout: object = None) -> httpx.Client:
        return httpx.Client(base_url=server, transport=httpx.MockTransport(answer))

    monkeypatch.setattr(client_cli, "_client", client)
    out = CliRunner().invoke(cli_app, [*args, "--server", "http://other.test"])
    said = " ".join(out.output.split())
    assert out.exit_code == 1 and isinstance(out.exception, SystemExit), said
    assert "http://other.test answered HTTP 200 (application/json)" in said and "a reelgen server?" in said
