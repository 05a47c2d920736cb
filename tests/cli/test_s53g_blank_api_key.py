"""REELGEN_API_KEY set to blanks only is said at the client, not sent as no key."""

from __future__ import annotations

import httpx
import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.cli import client as client_cli

runner = CliRunner()
SERVER = "http://reelgen.test"
VIDEO = "video_" + "0" * 32


def _no_request(server: str, api_key: str | None, timeout: object = None) -> httpx.Client:
    raise AssertionError("a blank key reached the server")


@pytest.mark.parametrize("blank", [" ", "  \t "])
def test_a_blank_key_variable_is_named_before_any_request(
    monkeypatch: pytest.MonkeyPatch, blank: str
) -> None:
    # It was taken as no key: the server's "requires an API key: ... set REELGEN_API_KEY" named a
    # variable the user had set.
    monkeypatch.setattr(client_cli, "_client", _no_request)
    out = runner.invoke(app, ["status", VIDEO, "--server", SERVER], env={"REELGEN_API_KEY": blank})
    assert out.exit_code == 2, out.output
    said = " ".join(out.output.split())
    assert "(env var: 'REELGEN_API_KEY'): it holds only blanks, which is no key" in said
    assert "unset REELGEN_API_KEY for none" in said


def test_an_empty_key_variable_is_still_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[str | None] = []

    def client(server: str, api_key: str | None, timeout: object = None) -> httpx.Client:
        sent.append(api_key)
        return httpx.Client(
            base_url=server, transport=httpx.MockTransport(lambda r: httpx.Response(404, json={}))
        )

    monkeypatch.setattr(client_cli, "_client", client)
    runner.invoke(app, ["status", VIDEO, "--server", SERVER], env={"REELGEN_API_KEY": ""})
    assert sent == [None]
