"""`reelgen watch`: a server restart is waited out for a time, said once; Ctrl-C is said as an error line."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from typer.testing import CliRunner, Result

from reelgen.api.sse import format_event
from reelgen.cli import app as cli_app
from reelgen.cli import client as client_cli

VIDEO_ID = "video_" + "5" * 32
SERVER = "http://reelgen.test"
STREAM = {"Content-Type": "text/event-stream"}


def _fake_server(monkeypatch: pytest.MonkeyPatch, handler: Callable[[httpx.Request], httpx.Response]) -> None:
    def client(server: str, api_key: str | None, timeout: object = None) -> httpx.Client:
        return httpx.Client(base_url=server, transport=httpx.MockTransport(handler))

    monkeypatch.setattr(client_cli, "_client", client)


def _watch() -> tuple[Result, str]:
    out = CliRunner().invoke(
        cli_app,
        ["watch", VIDEO_ID, "--server", SERVER],
        env={"REELGEN_SERVER": None, "REELGEN_API_KEY": None},
    )
    return out, " ".join(out.stderr.split())


def _down_for(seconds: float) -> Callable[[httpx.Request], httpx.Response]:
    """A server that sends one event, goes away for ``seconds``, then sends the job's end."""
    down: list[float] = []

    def dropped() -> Iterator[bytes]:
        yield format_event("started", {"id": VIDEO_ID}, event_id=1).encode()
        down.append(time.monotonic())
        raise httpx.ReadError("server went away")

    def handler(request: httpx.Request) -> httpx.Response:
        if not down:
            return httpx.Response(200, content=dropped(), headers=STREAM)
        if time.monotonic() - down[0] < seconds:
            raise httpx.ConnectError("[Errno 111] Connection refused")
        return httpx.Response(
            200, text=format_event("completed", {"id": VIDEO_ID}, event_id=2), headers=STREAM
        )

    return handler


def test_a_restart_longer_than_twenty_tries_is_waited_out_and_said_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 20 tries 1 s apart ended the watch while a slow server (Ray, a large GPU host) was still starting.
    monkeypatch.setattr(client_cli, "RECONNECT_S", 0.01)
    monkeypatch.setattr(client_cli, "RECONNECT_WINDOW_S", 5.0, raising=False)
    _fake_server(monkeypatch, _down_for(0.6))  # far more than 20 tries 0.01 s apart
    out, said = _watch()
    assert out.exit_code == 0, said
    assert said.count(f"{SERVER} stopped answering; waiting up to 5 s for it to come back") == 1


def test_a_server_gone_past_the_window_ends_the_watch_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(client_cli, "RECONNECT_S", 0.01)
    monkeypatch.setattr(client_cli, "RECONNECT_WINDOW_S", 0.3, raising=False)
    _fake_server(monkeypatch, _down_for(3600))
    started = time.monotonic()
    out, said = _watch()
    assert time.monotonic() - started < 3  # the window, not 20 tries nor an hour
    assert out.exit_code == 1, said
    assert said.count("waiting up to 0.3 s for it to come back") == 1
    # How long it heard nothing: the window, and the last try's few milliseconds.
    lost = f"error: lost the event stream of {VIDEO_ID}: {SERVER} stopped answering ([Errno 111] Connection refused"
    assert re.search(re.escape(lost) + r"; no answer for 0\.[3-9] s\);", said), said


def test_ctrl_c_while_watching_is_an_error_line_as_sigterm_is(monkeypatch: pytest.MonkeyPatch) -> None:
    # Ctrl-C said "stopped watching; ..." in yellow, SIGTERM "error: stopped watching by SIGTERM; ...".
    def interrupted() -> Iterator[bytes]:
        yield format_event("started", {"id": VIDEO_ID}, event_id=1).encode()
        raise KeyboardInterrupt

    _fake_server(monkeypatch, lambda request: httpx.Response(200, content=interrupted(), headers=STREAM))
    out, said = _watch()
    assert out.exit_code == 130, said
    assert f"error: stopped watching; {VIDEO_ID} keeps running on the server (reelgen cancel" in said
