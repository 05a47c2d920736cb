"""One reconnect loop for watch and the followers: a proxy's 502 while the server restarts is a drop,
a read that timed out is tried again, and any line (a ping too) is word from the server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner, Result

from reelgen.api.sse import format_event
from reelgen.cli import app as cli_app
from reelgen.cli import client as client_cli
from reelgen.cli import project_remote, reconnect, remote

VIDEO_ID = "video_" + "7" * 32
SERVER = "http://reelgen.test"
STREAM = {"Content-Type": "text/event-stream"}
PAGE = {"Content-Type": "text/html"}
COUNTS = {"total": 1, "completed": 1, "failed": 0, "cancelled": 0}
Answer = Callable[[], httpx.Response]


def _stream(*events: str, then: Exception | None = None) -> Answer:
    """An event stream sending ``events`` (text as written), then raising ``then`` (a drop)."""

    def body() -> Iterator[bytes]:
        for event in events:
            yield event.encode()
        if then is not None:
            raise then

    return lambda: httpx.Response(200, content=body(), headers=STREAM)


def _refused() -> httpx.Response:
    raise httpx.ConnectError("[Errno 111] Connection refused")


def _in_turn(*answers: Answer) -> httpx.MockTransport:
    """A server answering each request with the next of ``answers`` (the last one from then on)."""
    left = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        return (left.pop(0) if len(left) > 1 else left[0])()

    return httpx.MockTransport(handler)


def _watch(monkeypatch: pytest.MonkeyPatch, transport: httpx.MockTransport) -> tuple[Result, str]:
    def client(server: str, api_key: str | None, timeout: object = None) -> httpx.Client:
        return httpx.Client(base_url=server, transport=transport)

    monkeypatch.setattr(client_cli, "_client", client)
    out = CliRunner().invoke(
        cli_app,
        ["watch", VIDEO_ID, "--server", SERVER],
        env={"REELGEN_SERVER": None, "REELGEN_API_KEY": None},
    )
    return out, " ".join(out.stderr.split())


def _event(name: str, event_id: int, **data: Any) -> str:
    return format_event(name, {"id": VIDEO_ID, **data}, event_id=event_id)


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in (client_cli, remote, project_remote):
        monkeypatch.setattr(module, "RECONNECT_S", 0.01)
    monkeypatch.setattr(client_cli, "RECONNECT_WINDOW_S", 5.0)


def _proxy(code: int) -> Answer:
    return lambda: httpx.Response(code, text=f"<html>{code} Bad Gateway</html>", headers=PAGE)


@pytest.mark.usefixtures("quick")
def test_a_proxys_502_while_the_server_restarts_is_waited_out_by_watch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # It ended the watch: "answered HTTP 502 (text/html) as `reelgen serve` never does; is the
    # server URL that of a reelgen server?", exit 1, though the same URL had streamed the job.
    transport = _in_turn(
        _stream(_event("started", 1), then=httpx.ReadError("server went away")),
        _proxy(502),
        _proxy(502),
        _stream(_event("completed", 2)),
    )
    out, said = _watch(monkeypatch, transport)
    assert out.exit_code == 0, said
    assert said.count(f"{SERVER} stopped answering; waiting up to 5 s for it to come back") == 1


@pytest.mark.usefixtures("quick")
def test_a_proxys_page_before_any_stream_is_still_refused_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    out, said = _watch(monkeypatch, _in_turn(_proxy(502)))
    assert out.exit_code == 1, said
    assert "answered HTTP 502 (text/html) as `reelgen serve` never does" in said
    assert "waiting" not in said


@pytest.mark.usefixtures("quick")
def test_a_proxy_page_that_stays_names_it_when_the_watch_gives_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(client_cli, "RECONNECT_WINDOW_S", 0.2)
    transport = _in_turn(_stream(_event("started", 1), then=httpx.ReadError("gone")), _proxy(503))
    out, said = _watch(monkeypatch, transport)
    assert out.exit_code == 1, said
    assert f"{SERVER} stopped answering (the last try got HTTP 503 (text/html), no event stream; " in said


@pytest.mark.usefixtures("quick")
@pytest.mark.parametrize("answer", [_proxy(503), _proxy(504), lambda: httpx.Response(200, text="<html/>")])
def test_a_batch_follow_waits_out_a_proxys_answer(answer: Answer, monkeypatch: pytest.MonkeyPatch) -> None:
    running = {"id": "batch_1", "status": "in_progress", "request_counts": {**COUNTS, "completed": 0}}
    done = {**running, "status": "completed", "request_counts": COUNTS}
    transport = _in_turn(
        _stream(format_event("batch", running, event_id=1), then=httpx.ReadError("gone")),
        answer,
        _stream(format_event("completed", done, event_id=2)),
    )

    def client(server: str, api_key: str | None, read_s: float = 30.0) -> httpx.Client:
        return httpx.Client(base_url=server, transport=transport)

    monkeypatch.setattr(remote, "_client", client)
    assert remote.follow(SERVER, None, "/v1/batches/batch_1", running, "batch", True)["status"] == "completed"


@pytest.mark.usefixtures("quick")
def test_a_project_follow_waits_out_a_proxys_502(tmp_path: Path) -> None:
    job = {"id": "pjob_1", "status": "completed"}
    transport = _in_turn(
        _stream(format_event("progress", {"progress": 5}, event_id=1), then=httpx.ReadError("gone")),
        _proxy(502),
        _stream(format_event("completed", {"job": job}, event_id=2)),
    )
    follower = project_remote.Remote(SERVER, None, folder=SimpleNamespace(root=tmp_path))  # type: ignore[arg-type]
    follower.__dict__["http"] = httpx.Client(base_url=SERVER, transport=transport)
    assert (
        follower.follow("proj_1", {"id": "pjob_1", "status": "queued"}, quiet=True)["status"] == "completed"
    )


class _Clock:
    """time.monotonic and time.sleep of a clock that moves only when told (or slept)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _timed_out(clock: _Clock, after: str) -> Answer:
    """A stream that sends ``after``, then says nothing for the 120 s read timeout."""

    def silent() -> Iterator[bytes]:
        yield after.encode()
        clock.now += 120.0
        raise httpx.ReadTimeout("timed out")

    return lambda: httpx.Response(200, content=silent(), headers=STREAM)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> _Clock:
    fake = _Clock()
    # Only the reconnect loop's clock is faked: patching the time module itself also moved the clock of
    # every event loop running in this test process, and a timer one set meanwhile (a session server's
    # 0.1 s tick) came due only when the real clock reached the fake one, minutes later, so that
    # server did not stop at the end of the run.
    monkeypatch.setattr(reconnect, "time", SimpleNamespace(monotonic=fake.monotonic, sleep=fake.sleep))
    return fake


def test_a_read_that_timed_out_is_tried_again(monkeypatch: pytest.MonkeyPatch, clock: _Clock) -> None:
    # The 120 s of silence had used up the 60-s window: the watch gave up without a single try,
    # saying "no answer for 60 s".
    transport = _in_turn(_timed_out(clock, _event("started", 1)), _stream(_event("completed", 2)))
    out, said = _watch(monkeypatch, transport)
    assert out.exit_code == 0, said
    assert said.count(f"{SERVER} stopped answering; waiting up to 60 s for it to come back") == 1


def test_after_a_read_timed_out_the_window_starts_at_the_drop(
    monkeypatch: pytest.MonkeyPatch, clock: _Clock
) -> None:
    tries: list[float] = []

    def refused() -> httpx.Response:
        tries.append(clock.now)
        return _refused()

    out, said = _watch(monkeypatch, _in_turn(_timed_out(clock, _event("started", 1)), refused))
    assert out.exit_code == 1, said
    assert tries[0] - 1120.0 < 2 and tries[-1] - 1120.0 >= 59  # a window's tries, 1 s apart, from the drop
    # How long the server was silent, not the window: the read waited 120 s before it.
    assert f"{SERVER} stopped answering ([Errno 111] Connection refused; no answer for 180 s)" in said


@pytest.mark.usefixtures("quick")
def test_a_ping_is_word_from_the_server_in_watch_as_in_the_followers(monkeypatch: pytest.MonkeyPatch) -> None:
    # watch said a second drop only after an event, the followers after any line: one rule now.
    transport = _in_turn(
        _stream(_event("started", 1), then=httpx.ReadError("gone")),
        _refused,
        _stream(": ping\n\n", then=httpx.ReadError("gone again")),
        _refused,
        _stream(_event("completed", 2)),
    )
    out, said = _watch(monkeypatch, transport)
    assert out.exit_code == 0, said
    assert said.count(f"{SERVER} stopped answering; waiting up to 5 s for it to come back") == 2
