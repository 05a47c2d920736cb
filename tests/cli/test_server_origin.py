"""A job command's error about its server says whether the URL was typed as --server or came from REELGEN_SERVER."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()
STATUS = ["status", "video_" + "0" * 32]


def _said(args: list[str], env: dict[str, str | None]) -> tuple[int, str]:
    result = runner.invoke(app, args, env=env)
    return result.exit_code, " ".join(result.output.split())


def _closed_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


class _Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<html><body>It works!</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def web_page() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_bad_url_typed_as_server_is_not_called_the_environment_variable() -> None:
    code, said = _said([*STATUS, "--server", "notaurl"], {"REELGEN_SERVER": None})
    assert code == 2
    assert said.startswith("error: Invalid value for '--server': 'notaurl' is not a server URL")
    assert "REELGEN_SERVER" not in said


def test_a_bad_url_in_the_environment_names_the_variable() -> None:
    code, said = _said(STATUS, {"REELGEN_SERVER": "notaurl"})
    assert code == 2
    assert said.startswith(
        "error: Invalid value for REELGEN_SERVER (environment variable; --server overrides it): "
        "'notaurl' is not a server URL"
    )
    assert "'--server'" not in said


def test_an_unreachable_server_says_where_its_url_came_from() -> None:
    url = _closed_port()
    code, said = _said(STATUS, {"REELGEN_SERVER": url})
    assert code == 1 and said.startswith(f"error: cannot reach {url} (")
    assert said.endswith("(that URL came from REELGEN_SERVER; --server overrides it)")
    code, said = _said([*STATUS, "--server", url], {"REELGEN_SERVER": None})
    assert code == 1 and said.endswith("is `reelgen serve` running?")


def test_a_server_that_is_not_reelgen_says_where_its_url_came_from(web_page: str) -> None:
    code, said = _said(["list"], {"REELGEN_SERVER": web_page})
    assert code == 1
    assert said.endswith(
        f"error: {web_page} answered HTTP 200 (text/html) as `reelgen serve` never does; is the server "
        "URL that of a reelgen server? (that URL came from REELGEN_SERVER; --server overrides it)"
    )
