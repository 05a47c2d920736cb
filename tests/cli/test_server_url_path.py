"""A server URL with a path (``http://host:8000/foo``) is named as the mistake when the server has no such route."""

from __future__ import annotations

import httpx
import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.cli import client as client_cli

VIDEO_ID = "video_" + "0" * 32


def _no_route_server(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A reelgen server as ``reelgen serve`` answers a path it has no route for; returns the paths asked."""
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        if request.url.path.startswith("/v1/"):
            return httpx.Response(200, json={"data": [], "has_more": False})
        message = f"no route {request.method} {request.url.path}"
        error = {"message": message, "type": "invalid_request_error", "param": None, "code": "not_found"}
        return httpx.Response(404, json={"error": error})

    def client(server: str, api_key: str | None, timeout: object = None) -> httpx.Client:
        return httpx.Client(base_url=server, transport=httpx.MockTransport(answer))

    monkeypatch.setattr(client_cli, "_client", client)
    return asked


def _said(output: str) -> str:
    return " ".join(output.split())


def test_a_path_on_the_server_url_is_named_with_the_url_to_give(monkeypatch: pytest.MonkeyPatch) -> None:
    # It read only "HTTP 404: no route GET /foo/v1/videos", as if the server lacked the route.
    asked = _no_route_server(monkeypatch)
    result = CliRunner().invoke(app, ["list", "--server", "http://127.0.0.1:8000/foo"])
    assert asked == ["/foo/v1/videos"]
    assert _said(result.output) == (
        "error: HTTP 404: no route GET /foo/v1/videos; a reelgen server's API is under /v1 at the root "
        "of its URL, so the server URL takes no path (/foo): give http://127.0.0.1:8000"
    )
    assert result.exit_code == 2


def test_one_from_reelgen_server_says_where_it_came_from(monkeypatch: pytest.MonkeyPatch) -> None:
    _no_route_server(monkeypatch)
    result = CliRunner().invoke(
        app, ["status", VIDEO_ID], env={"REELGEN_SERVER": "http://127.0.0.1:8000/reelgen/"}
    )
    said = _said(result.output)
    assert "so the server URL takes no path (/reelgen): give http://127.0.0.1:8000" in said
    assert said.endswith("(that URL came from REELGEN_SERVER; --server overrides it)")
    assert result.exit_code == 2


def test_the_api_url_the_banner_prints_still_works(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _no_route_server(monkeypatch)
    result = CliRunner().invoke(app, ["list", "--server", "http://127.0.0.1:8000/v1"])
    # An empty list asks too where batches and shoot-outs are: each at /v1, none at /v1/v1.
    assert asked == ["/v1/videos", "/v1/batches", "/v1/shootouts"] and result.exit_code == 0, result.output
