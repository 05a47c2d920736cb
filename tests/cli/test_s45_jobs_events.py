"""``watch`` against a server whose events are not reelgen's says so, instead of a traceback."""

from __future__ import annotations

import httpx
import pytest
from typer.testing import CliRunner

from reelgen.cli import app as cli_app
from reelgen.cli import client as client_cli

VIDEO_ID = "video_" + "5" * 32


@pytest.mark.parametrize("data", [b"hello", b"5", b'["queued"]'])
def test_events_whose_data_is_not_a_json_object_are_said_as_another_server(
    monkeypatch: pytest.MonkeyPatch, data: bytes
) -> None:
    # Another event-stream service at the URL: JSONDecodeError, or AttributeError on ``data.get``.
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"Content-Type": "text/event-stream"}, content=b"data: " + data + b"\n\n"
        )

    def client(server: str, api_key: str | None, timeout: object = None) -> httpx.Client:
        return httpx.Client(base_url=server, transport=httpx.MockTransport(answer))

    monkeypatch.setattr(client_cli, "_client", client)
    out = CliRunner().invoke(cli_app, ["watch", VIDEO_ID, "--server", "http://events.test"])
    said = " ".join(out.output.split())
    assert out.exit_code == 1 and not isinstance(out.exception, (ValueError, AttributeError)), said
    assert f"not a JSON object ({data.decode()!r})" in said and "that of a reelgen server?" in said
