"""The SSE wire format and the CLI's reading of it; CLI guards that need no server."""

from __future__ import annotations

import socket

from typer.testing import CliRunner

from reelgen.api.sse import format_event, last_event_id
from reelgen.cli import app as cli_app
from reelgen.cli.jobs import sse_events


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
    assert last_event_id("garbage", 3) == 3
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


def test_submit_takes_options_only_by_their_long_name() -> None:
    """``-o`` means ``--output`` wherever it exists; ``submit`` writes no file, so it has none."""
    out = CliRunner().invoke(cli_app, ["submit", "a fox", "-o", "flow_shift=3"])
    assert out.exit_code == 2 and "No such option: -o" in out.output
