"""The commands that talk to a server exit as local commands do: 2 when the request is wrong, 1 when it failed.

A stand-in server answers every request with one status and reelgen's error
envelope, so each command meets each kind of answer without a job service.
"""

from __future__ import annotations

import json
import re
import threading
import typing
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from tests.jobs.projects import make_film

runner = CliRunner()
VIDEO = "video_" + "0" * 32


class Answering(ThreadingHTTPServer):
    status = 500
    #: Answer as another web server would: an HTML page with this status instead of reelgen's JSON.
    page = False


class _Handler(BaseHTTPRequestHandler):
    server: Answering

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.server.page:
            self._page()
            return
        body = json.dumps(
            {
                "error": {
                    "message": f"the server said {self.server.status}",
                    "type": "x",
                    "code": "x",
                    "param": None,
                }
            }
        ).encode()
        self.send_response(self.server.status)
        if self.server.status in (429, 503):
            self.send_header("Retry-After", "30")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _page(self) -> None:
        body = b"<!DOCTYPE html><html><body><h1>It works!</h1></body></html>\n"
        self.send_response(self.server.status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = _answer

    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        pass


@pytest.fixture
def answering() -> Iterator[Answering]:
    server = Answering(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The manifest, prompts file and film the commands read, written once for the module: every
    command here is refused by the server before it writes anything beside them."""
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "manifest.json").write_text(
        json.dumps({"items": [{"output": "one", "images": ["a.png"], "prompt": "a fox"}]})
    )
    (folder / "prompts.yaml").write_text("prompts: [a lighthouse at night]\n")
    make_film(folder / "film")
    return folder


def _commands(inputs: Path, tmp_path: Path) -> dict[str, list[str]]:
    """Each command with its inputs from ``inputs``; what it would write goes under this test's ``tmp_path``."""
    manifest, prompts, film = inputs / "manifest.json", inputs / "prompts.yaml", inputs / "film"
    return {
        "submit": ["submit", "a fox"],
        "status": ["status", VIDEO],
        "watch": ["watch", VIDEO],
        "cancel": ["cancel", VIDEO],
        "download": ["download", VIDEO, "-o", str(tmp_path / "fox.mp4")],
        "list": ["list"],
        "delete": ["delete", VIDEO],
        "remix": ["remix", VIDEO, "a fox at dawn"],
        "batch": ["batch", str(manifest), "-q"],
        "shootout": ["shootout", "-m", "wan-tiny", "-p", str(prompts), "-o", str(tmp_path / "report"), "-q"],
        "project status": ["project", "status", str(film)],
        "project render": ["project", "render", str(film), "-q"],
        "project export": ["project", "export", str(film), "-q"],
    }


COMMANDS = [
    "submit",
    "status",
    "watch",
    "cancel",
    "download",
    "list",
    "delete",
    "remix",
    "batch",
    "shootout",
    "project status",
    "project render",
    "project export",
]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(("status", "code"), [(400, 2), (404, 2), (422, 2), (500, 1)])
def test_a_server_answer_sets_the_exit_status_as_bad_input_or_failure(
    answering: Answering, inputs: Path, tmp_path: Path, command: str, status: int, code: int
) -> None:
    answering.status = status
    url = f"http://127.0.0.1:{answering.server_address[1]}"
    result = runner.invoke(app, [*_commands(inputs, tmp_path)[command], "--server", url])
    assert result.exit_code == code, result.output
    # What is printed: the server's own words, no traceback, and no "queued" bar for a job it refused.
    assert " ".join(result.output.split()).endswith(f"error: HTTP {status}: the server said {status}")
    assert "queued" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_download_to_a_path_no_file_can_take_is_bad_input_found_before_asking(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("not a folder\n")
    result = runner.invoke(
        app, ["download", VIDEO, "-o", str(blocker / "fox.mp4"), "--server", "http://127.0.0.1:9"]
    )
    assert result.exit_code == 2, result.output
    assert "is a file, not a folder" in result.output and "cannot reach" not in result.output


@pytest.mark.parametrize("status", [429, 503])
def test_a_full_queue_or_a_restarting_engine_is_a_failure_that_says_when_to_retry(
    answering: Answering, status: int
) -> None:
    """The request was fine (exit 1, not 2), and the wait the server asked for is printed."""
    answering.status = status
    url = f"http://127.0.0.1:{answering.server_address[1]}"
    result = runner.invoke(app, ["submit", "a fox", "--server", url])
    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())
    assert said.endswith(f"error: HTTP {status}: the server said {status} (the server asks to retry in 30 s)")


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("status", [200, 404, 500])
def test_a_server_that_is_not_reelgen_is_said_plainly(
    answering: Answering, inputs: Path, tmp_path: Path, command: str, status: int
) -> None:
    """Another web server on that port: its page was printed whole as the error (exit 2, as if the
    request were wrong), or a 200 page was a JSONDecodeError traceback, saved as the MP4 (exit 0)
    or read as events for 20 s."""
    answering.page, answering.status = True, status
    url = f"http://127.0.0.1:{answering.server_address[1]}"
    result = runner.invoke(app, [*_commands(inputs, tmp_path)[command], "--server", url])
    assert result.exit_code == 1, result.output
    assert " ".join(result.output.split()).endswith(
        f"error: {url} answered HTTP {status} (text/html) as `reelgen serve` never does; "
        "is the server URL that of a reelgen server?"
    )
    assert "<html" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (tmp_path / "fox.mp4").exists()


def test_the_command_list_names_every_job_command_and_ctrl_c() -> None:
    """`reelgen --help` named five of the eight job commands, and nothing of Ctrl-C's exit status."""
    from typer.main import get_command

    group: typing.Any = get_command(app)
    said = " ".join((group.help or "").split())
    for name in ("submit", "status", "watch", "list", "cancel", "delete", "download", "remix"):
        assert name in group.commands and re.search(rf"[( ]{name},", said), name
    assert "Ctrl-C exits 130" in said
