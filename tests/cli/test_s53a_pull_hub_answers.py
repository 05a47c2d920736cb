"""`reelgen pull` when the Hub answers with an HTTP error: a refused token, too many requests, trouble on its
side. Each was "could not be reached" with the raw four-line error, or the raw error alone."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


class Hub(http.server.BaseHTTPRequestHandler):
    """Answers every request with ``status`` and the Hub's X-Error-Message header."""

    status = 500
    message = ""

    def do_GET(self) -> None:
        body = json.dumps({"error": self.message}).encode()
        self.send_response(self.status)
        if self.message:
            self.send_header("X-Error-Message", self.message)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_HEAD = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[Hub]]:
    from huggingface_hub import constants

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setattr(constants, "ENDPOINT", f"http://127.0.0.1:{server.server_address[1]}")
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)  # the tests' own guard: only loopback is reached
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    yield Hub
    server.shutdown()
    server.server_close()


def pulled(hub: type[Hub], status: int, message: str = "") -> str:
    hub.status, hub.message = status, message
    result = runner.invoke(app, ["pull", "ltx-2b"], env={"HF_TOKEN": "hf_expired"})
    assert result.exit_code == 1, result.output
    said = " ".join(result.stderr.split())
    assert "could not be reached" not in said and "developer.mozilla.org" not in said
    return said


def test_a_token_the_hub_refuses_is_said_with_how_to_mend_it(hub: type[Hub]) -> None:
    assert pulled(hub, 401, "Invalid credentials in Authorization header").endswith(
        "error: could not pull ltx-2b: the Hugging Face Hub answered 401 Unauthorized (Invalid credentials in "
        "Authorization header): it did not take the token this machine sends; set HF_TOKEN to a valid one "
        "(or run `hf auth login`), or unset HF_TOKEN for a public model"
    )


def test_too_many_requests_says_to_wait(hub: type[Hub]) -> None:
    said = pulled(hub, 429)
    assert "the Hugging Face Hub answered 429 Too Many Requests" in said
    assert "wait a few minutes and run `reelgen pull ltx-2b` again" in said


def test_trouble_on_the_hubs_side_says_to_try_later(hub: type[Hub]) -> None:
    said = pulled(hub, 503, "Service is down for maintenance")
    assert said.endswith(
        "the Hugging Face Hub answered 503 Service Unavailable (Service is down for maintenance): trouble on "
        "the Hub's side; run `reelgen pull ltx-2b` again later"
    )
