"""The SSE wire format and the CLI's reading of it; CLI guards that need no server."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from typer.testing import CliRunner

from reelgen.api.errors import ApiError
from reelgen.api.sse import format_event, last_event_id
from reelgen.cli import app as cli_app
from reelgen.cli import client as client_cli
from reelgen.cli.client import sse_events


def test_frames_round_trip_through_the_cli_parser() -> None:
    text = format_event("open", {"after": 0}, retry_ms=1000)
    text += ": ping\n\n"
    text += format_event("progress", {"step": 3, "message": "line one\nline two"}, event_id=7)
    text += format_event("completed", {"id": "video_x"}, event_id=8)
    events = list(sse_events(iter(text.split("\n"))))
    assert events == [
        (None, "open", {"after": 0}),
        ("7", "progress", {"step": 3, "message": "line one\nline two"}),
        ("8", "completed", {"id": "video_x"}),
    ]


def test_resume_point_prefers_the_last_event_id_header() -> None:
    assert last_event_id("5", 2) == 5
    assert last_event_id(None, 2) == 2
    assert last_event_id("", 3) == 3  # an empty header names no event: as if none was sent
    with pytest.raises(ApiError, match="Last-Event-ID: 'garbage' is no event id of this stream"):
        last_event_id("garbage", 3)  # was read as no header (3): see test_sse_last_event_id_unreadable
    assert last_event_id("-4", None) == 0
    assert last_event_id(None, None) == 0


def test_serve_refuses_a_public_bind_without_a_key() -> None:
    out = CliRunner().invoke(cli_app, ["serve", "--host", "0.0.0.0"], env={"REELGEN_API_KEY": ""})
    assert out.exit_code == 2
    assert "REELGEN_API_KEY" in out.output


def test_client_commands_say_when_no_server_answers() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    out = CliRunner().invoke(cli_app, ["status", "video_" + "0" * 32, "--server", f"http://127.0.0.1:{port}"])
    assert out.exit_code == 1
    assert "cannot reach" in out.output and "reelgen serve" in out.output


@pytest.mark.parametrize(
    ("command", "url"),
    [
        (["status", "video_" + "0" * 32], "notaurl"),
        (["batch", "shots/manifest.json"], "localhost:8000"),
        (["project", "render", "my-film"], "http://"),
        (["avatar", "--image", "face.png", "--text", "hi"], "ftp://127.0.0.1:8000"),
        (["enhance", "clip.mp4", "--interpolate", "2"], "127.0.0.1"),
    ],
    ids=["status", "batch", "project", "avatar", "enhance"],
)
def test_a_server_that_is_not_a_url_is_bad_input_before_anything_is_read_or_sent(
    command: list[str], url: str
) -> None:
    out = CliRunner().invoke(cli_app, [*command, "--server", url])
    assert out.exit_code == 2, out.output
    text = " ".join(out.output.replace("│", " ").split())
    assert f"'{url}' is not a server URL; give one like http://127.0.0.1:8000" in text


def test_submit_takes_options_only_by_their_long_name() -> None:
    """``-o`` means ``--output`` wherever it exists; ``submit`` writes no file, so it has none."""
    out = CliRunner().invoke(cli_app, ["submit", "a fox", "-o", "flow_shift=3"])
    assert out.exit_code == 2 and "No such option: -o" in out.output


def _video(status: str) -> dict[str, object]:
    return {"id": VIDEO_ID, "status": status, "progress": 0, "model": "reelgen-micro", "size": "64x64"}


VIDEO_ID = "video_" + "0" * 32
#: What reelgen answers an events request with; anything else is not its event stream.
STREAM = {"Content-Type": "text/event-stream"}


def _fake_server(monkeypatch: pytest.MonkeyPatch, handler: Callable[[httpx.Request], httpx.Response]) -> None:
    """The CLI's HTTP client answered by ``handler`` instead of a server."""

    def client(server: str, api_key: str | None, timeout: object = None) -> httpx.Client:
        return httpx.Client(base_url=server, transport=httpx.MockTransport(handler))

    monkeypatch.setattr(client_cli, "_client", client)  # every request, watch's stream too


def test_watch_without_a_server_says_it_cannot_reach_it() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    out = CliRunner().invoke(cli_app, ["watch", VIDEO_ID, "--server", f"http://127.0.0.1:{port}"])
    assert out.exit_code == 1
    said = " ".join(out.output.split())
    assert "cannot reach" in said and "reelgen serve" in said and "lost the event stream" not in said


def test_watch_rides_out_a_server_restart_and_resumes_after_the_last_event(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(client_cli, "RECONNECT_S", 0.3)
    down: list[float] = []  # when the stream dropped; the server is back 0.5 s later
    resumed_after: list[str | None] = []

    def dropped() -> Iterator[bytes]:
        yield format_event("queued", {"id": VIDEO_ID}, event_id=1).encode()
        down.append(time.monotonic())
        raise httpx.ReadError("server went away")

    def handler(request: httpx.Request) -> httpx.Response:
        if not down:
            return httpx.Response(200, content=dropped(), headers=STREAM)
        if time.monotonic() - down[0] < 0.5:
            raise httpx.ConnectError("connection refused")
        resumed_after.append(request.headers.get("Last-Event-ID"))
        return httpx.Response(
            200, text=format_event("completed", {"id": VIDEO_ID}, event_id=2), headers=STREAM
        )

    _fake_server(monkeypatch, handler)
    out = CliRunner().invoke(cli_app, ["watch", VIDEO_ID, "--server", "http://reelgen.test"])
    assert out.exit_code == 0, out.output
    assert resumed_after == ["1"]


def test_submit_watch_exits_1_when_the_job_does_not_complete(monkeypatch: pytest.MonkeyPatch) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(202, json=_video("queued"))
        error = {"code": "cancelled", "message": "cancelled by request"}
        return httpx.Response(
            200, text=format_event("cancelled", {"id": VIDEO_ID, "error": error}, event_id=1), headers=STREAM
        )

    _fake_server(monkeypatch, handler)
    out = CliRunner().invoke(cli_app, ["submit", "a fox", "--watch", "--server", "http://reelgen.test"])
    assert out.exit_code == 1, out.output  # as `reelgen watch` exits on a job that did not complete
    assert "cancelled" in out.output
