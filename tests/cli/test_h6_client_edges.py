"""The job commands against odd servers and odd input: a URL with a query, https to a plain-HTTP server, "[/]"
in what the server quotes back, an id of dots, a watch whose server is gone, and a batch's follow riding out a
restart."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
import typer
from typer.testing import CliRunner, Result

from reelgen.api.sse import format_event
from reelgen.cli import app as cli_app
from reelgen.cli import client as client_cli
from reelgen.cli import remote

VIDEO_ID = "video_" + "3" * 32
SERVER = "http://reelgen.test"
STREAM = {"Content-Type": "text/event-stream"}


def _fake_server(monkeypatch: pytest.MonkeyPatch, handler: Callable[[httpx.Request], httpx.Response]) -> None:
    def client(server: str, api_key: str | None, timeout: object = None) -> httpx.Client:
        return httpx.Client(base_url=server, transport=httpx.MockTransport(handler))

    monkeypatch.setattr(client_cli, "_client", client)


def _run(*args: str) -> tuple[Result, str]:
    out = CliRunner().invoke(cli_app, list(args), env={"REELGEN_SERVER": None, "REELGEN_API_KEY": None})
    return out, " ".join(out.output.split())


def test_a_server_url_with_a_query_is_refused_before_anything_is_sent() -> None:
    # It was sent to the web page ("/?x=1") and told the server was not a reelgen server.
    out, said = _run("status", VIDEO_ID, "--server", "http://127.0.0.1:9?x=1")
    assert out.exit_code == 2
    assert "has a query or a fragment" in said and "base URL alone" in said


class _Plain(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_error(404)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def plain_http() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Plain)
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("command", ["status", "download", "watch"])
def test_https_to_a_plain_http_server_says_to_use_http(plain_http: int, command: str, tmp_path: Path) -> None:
    # It said only "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)".
    extra = ["-o", str(tmp_path / "fox.mp4")] if command == "download" else []
    out, said = _run(command, VIDEO_ID, *extra, "--server", f"https://127.0.0.1:{plain_http}")
    assert out.exit_code == 1
    assert (
        f"answers plain HTTP, not HTTPS, as `reelgen serve` does; use http://127.0.0.1:{plain_http}" in said
    )
    assert "WRONG_VERSION_NUMBER" not in said and not (tmp_path / "fox.mp4").exists()


def test_a_server_message_quoting_square_brackets_is_said_as_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    # Rich read the "[/]" the server quoted back as markup: an internal error (MarkupError), exit 1.
    envelope = {"error": {"message": "unknown model '[/]'; known models: ltx-tiny", "param": "model"}}
    _fake_server(monkeypatch, lambda request: httpx.Response(400, json=envelope))
    out, said = _run("submit", "a fox", "-m", "[/]", "--server", SERVER)
    assert out.exit_code == 2
    assert "error: HTTP 400: --model: unknown model '[/]'" in said and "internal error" not in said


def test_a_failed_job_whose_message_holds_brackets_is_said_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    error = {"code": "invalid_request", "message": "no file '[bold]x[/bold].png'"}
    ended = format_event("failed", {"id": VIDEO_ID, "status": "failed", "error": error}, event_id=1)
    _fake_server(monkeypatch, lambda request: httpx.Response(200, text=ended, headers=STREAM))
    out, said = _run("watch", VIDEO_ID, "--server", SERVER)
    assert out.exit_code == 1
    assert "failed: invalid_request no file '[bold]x[/bold].png'" in said


def test_a_download_to_a_name_with_brackets_says_where_it_wrote(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The file was written, then "wrote a[/]b.mp4" died as a MarkupError: exit 1 after a good download.
    video = {"Content-Type": "video/mp4"}
    _fake_server(monkeypatch, lambda request: httpx.Response(200, content=b"an mp4", headers=video))
    target = tmp_path / "a[" / "]b.mp4"
    out, said = _run("download", VIDEO_ID, "-o", str(target), "--server", SERVER)
    assert out.exit_code == 0, said
    assert f"wrote {target}" in said and target.read_bytes() == b"an mp4"


@pytest.mark.parametrize("job_id", ["..", "."])
def test_an_id_of_dots_is_no_job_id(job_id: str) -> None:
    # ".." went up a folder: "HTTP 404: no route GET /v1".
    out, said = _run("status", job_id, "--server", "http://127.0.0.1:9")
    assert out.exit_code == 2
    assert f"{job_id!r} is not a job id" in said


def test_a_watch_whose_server_stays_gone_says_so_and_what_it_last_heard(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(client_cli, "RECONNECT_S", 0.0)
    # Tried non-stop for the whole window: 60 s of a test (0 says "it closed" with no drop to name).
    monkeypatch.setattr(client_cli, "RECONNECT_WINDOW_S", 0.2)
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) == 1:
            started = format_event("started", {"id": VIDEO_ID}, event_id=1)
            return httpx.Response(200, text=started, headers=STREAM)
        raise httpx.ConnectError("[Errno 111] Connection refused")

    _fake_server(monkeypatch, handler)
    out, said = _run("watch", VIDEO_ID, "--server", SERVER)
    assert out.exit_code == 1
    assert (
        f"lost the event stream of {VIDEO_ID}: {SERVER} stopped answering ([Errno 111] Connection refused"
        in said
    )
    assert f"`reelgen status {VIDEO_ID} --server {SERVER}` shows where the job is" in said  # as typed


def _fake_remote(monkeypatch: pytest.MonkeyPatch, handler: Callable[[httpx.Request], httpx.Response]) -> None:
    def client(server: str, api_key: str | None, read_s: float = 30.0) -> httpx.Client:
        return httpx.Client(base_url=server, transport=httpx.MockTransport(handler))

    monkeypatch.setattr(remote, "_client", client)


def test_a_batch_followed_on_a_server_rides_out_its_restart(monkeypatch: pytest.MonkeyPatch) -> None:
    # Its 20 reconnects were made back to back, so a server down for a moment ended the follow at once.
    monkeypatch.setattr(remote, "RECONNECT_S", 0.05)
    counts = {"total": 1, "completed": 1, "failed": 0, "cancelled": 0}
    done = {"id": "batch_1", "status": "completed", "request_counts": counts}
    back_at = time.monotonic() + 0.3

    def handler(request: httpx.Request) -> httpx.Response:
        if time.monotonic() < back_at:
            raise httpx.ConnectError("connection refused")
        return httpx.Response(200, text=format_event("completed", done, event_id=1), headers=STREAM)

    _fake_remote(monkeypatch, handler)
    created = {"id": "batch_1", "request_counts": {**counts, "completed": 0}}
    assert remote.follow(SERVER, None, "/v1/batches/batch_1", created, "batch", True)["status"] == "completed"


def test_a_stopped_follow_says_a_cancel_command_carrying_the_key(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Without the key, the cancel line printed was answered 401 by a server that asks for one.
    cancel = f"{SERVER}/v1/batches/batch_1/cancel"
    created = {"id": "batch_1", "status": "queued", "urls": {"cancel": cancel}}
    monkeypatch.setattr(remote, "call", lambda *args, **kwargs: httpx.Response(201, json=created))

    def interrupted(*args: Any) -> dict[str, Any]:
        raise KeyboardInterrupt

    monkeypatch.setattr(remote, "follow", interrupted)
    monkeypatch.setenv("REELGEN_API_KEY", "sekrit-key-42")
    with pytest.raises(typer.Exit):
        remote.run_on_server(SERVER, "sekrit-key-42", "batches", {}, "batch", True)
    said = " ".join(capsys.readouterr().err.split())
    assert f"reelgen cancel batch_1 --server {SERVER}" in said and "--api-key" not in said  # found again
    monkeypatch.delenv("REELGEN_API_KEY")
    with pytest.raises(typer.Exit):
        remote.run_on_server(SERVER, "sekrit-key-42", "batches", {}, "batch", True)
    said = " ".join(capsys.readouterr().err.split())
    assert f"reelgen cancel batch_1 --server {SERVER} --api-key KEY" in said
    assert "sekrit-key-42" not in said


def test_an_item_line_and_an_error_with_brackets_are_said_as_they_are(
    capsys: pytest.CaptureFixture[str],
) -> None:
    error = {"message": "no image '[/]x.png'"}
    remote._item({"key": "shot[/]1", "status": "failed", "job_id": "video_1", "error": error}, set())
    remote.fail(remote.ServerError("HTTP 400: manifest item '[/]' has no prompt", 400))
    said = " ".join(capsys.readouterr().err.split())
    assert "shot[/]1: failed no image '[/]x.png'" in said
    assert "error: HTTP 400: manifest item '[/]' has no prompt" in said


def test_a_report_fetched_into_a_path_under_a_file_says_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # mkdir raised NotADirectoryError: an internal error after the whole shoot-out had run.
    monkeypatch.setattr(remote, "call", lambda *args, **kwargs: httpx.Response(200, content=b"<html>"))
    (tmp_path / "out").write_text("a file")
    with pytest.raises(remote.ServerError) as refused:
        remote.download(SERVER, None, "/v1/shootouts/s/report", tmp_path / "out" / "report.html")
    assert "is a file, not a folder" in str(refused.value)
    assert (tmp_path / "out").read_text() == "a file"


def test_the_next_page_hint_of_a_filtered_list_keeps_its_filters(monkeypatch: pytest.MonkeyPatch) -> None:
    # "more: reelgen list --after ID" went on over every job of every state, 20 a page.
    row = {"id": VIDEO_ID, "status": "completed", "progress": 100, "model": "lanczos", "size": "64x64"}
    page = {"object": "list", "data": [{**row, "seed": None}], "has_more": True, "last_id": VIDEO_ID}
    _fake_server(monkeypatch, lambda request: httpx.Response(200, json=page))
    out, said = _run("list", "--status", "completed", "--limit", "1", "--server", SERVER)
    assert out.exit_code == 0
    assert f"more: reelgen list --status completed --limit 1 --after {VIDEO_ID}" in said
    assert "seed None" not in out.stdout  # an enhance job has no seed
