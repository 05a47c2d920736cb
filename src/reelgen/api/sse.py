"""Server-sent events: the wire format, and a stream that follows a job's event log with resume."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import anyio
from starlette.datastructures import Headers

from reelgen.api.errors import ApiError
from reelgen.api.lengths import shown

#: Event names after which the stream ends.
FINAL_EVENTS = frozenset({"completed", "failed", "cancelled"})
#: The largest event id there can be (the store numbers events in a 32-bit column).
MAX_SEQ = 2**31 - 1
#: A stream's last frame when the server stops: a comment, which EventSource and every client skip;
#: the client then reconnects as after any drop, and finds the server gone (or back).
STOPPING = ": server stopping\n\n"


@dataclass(frozen=True)
class StreamEvent:
    """One entry of a job's event log: ``seq`` is its per-job position, used as the SSE id.

    ``None`` marks news that is in no log (a waiting job's place in line): it goes out without an
    id, so a client that reconnects resumes after the last logged event, as before it.
    """

    seq: int | None
    event: str
    data: dict[str, Any]


def format_event(event: str, data: Any, event_id: int | None = None, retry_ms: int | None = None) -> str:
    """One SSE frame. JSON never holds raw newlines, so ``data`` fits on one ``data:`` line."""
    lines = []
    if event_id is not None:
        lines.append(f"id: {event_id}")
    if retry_ms is not None:
        lines.append(f"retry: {retry_ms}")
    lines.append(f"event: {event}")
    lines.append("data: " + json.dumps(data, separators=(",", ":"), default=str))
    return "\n".join(lines) + "\n\n"


def last_event_id(header: str | None, query: int | None) -> int:
    """Where a reconnecting client left off: the ``Last-Event-ID`` header, else ``?after=``, else 0.

    An id past any there can be means "after everything": it is held at ``MAX_SEQ``, so the
    database is never asked about a number it cannot store. A header that is no whole number is a 400.
    """
    if header is not None and header.strip():
        try:
            return min(MAX_SEQ, max(0, int(header)))
        except ValueError:
            raise unreadable_last_event_id(header, "a whole number, such as 7") from None
    return min(MAX_SEQ, max(0, query)) if query is not None else 0


def unreadable_last_event_id(value: str, takes: str) -> ApiError:
    """The 400 for a ``Last-Event-ID`` no stream sent, naming the value and what the header takes.

    It was read as "from the first event" without a word. A browser's EventSource sends back only an
    id the server gave it, so one unreadable came from a hand-written client or a proxy that merged
    two ("1, 0"), whose resume point the server cannot know.
    """
    return ApiError(
        400,
        f"Last-Event-ID: {shown(value)} is no event id of this stream; send the id of the last event "
        f"received ({takes}), or leave Last-Event-ID out to start from the beginning",
        param="Last-Event-ID",
        code="invalid_value",
    )


def refuse_two_last_event_ids(headers: Headers) -> None:
    """A 400 for ``Last-Event-ID`` sent more than once, naming each value.

    A browser's EventSource sends the one id it saw last; of two, the first was taken without a word,
    so a client (or a proxy that added one) resumed from a place it may not have meant.
    """
    given = headers.getlist("last-event-id")
    if len(given) > 1:
        values = ", ".join(shown(value) for value in given)
        raise ApiError(
            400,
            f"Last-Event-ID is sent {len(given)} times ({values}); send it once, with the id of the last "
            "event received",
            param="Last-Event-ID",
            code="invalid_value",
        )


class Wakeups:
    """Wakes SSE streams when the store commits an event (store listeners run on other threads),
    and ends them all when the server begins to stop (``stop``).

    An event stream lasts until its job ends: uvicorn's shutdown waited its whole
    ``timeout_graceful_shutdown`` for the open ones, then cut them off.
    """

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._signals: dict[str, set[asyncio.Event]] = {}
        self._waiting: set[asyncio.Event] = set()  # the signals streams wait on now (``pause``)
        #: Set once the server has begun to stop: every stream ends at its next wait.
        self.stopping = False

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self.stopping = False  # an app started again (a test's second lifespan) streams again

    def notify(self, job_id: str) -> None:
        """Thread-safe: called from whichever thread committed the event."""
        if self._loop is not None and job_id in self._signals:
            self._loop.call_soon_threadsafe(self._set, job_id)

    def _set(self, job_id: str) -> None:
        for signal in self._signals.get(job_id, ()):
            signal.set()

    def stop(self) -> None:
        """The server begins to stop: every stream waiting in ``pause`` wakes and ends. Thread-safe."""
        if self._loop is None or self._loop.is_closed():
            self._stop()
        else:
            self._loop.call_soon_threadsafe(self._stop)

    def _stop(self) -> None:
        self.stopping = True
        for signal in self._waiting:
            signal.set()

    async def pause(self, signal: asyncio.Event, timeout_s: float) -> bool:
        """A stream's wait for news: until ``signal`` is set or ``timeout_s`` has passed.

        True when the server has begun to stop: the stream then ends, so that the stop need not
        wait for it (a normal request, an upload or a download, still gets uvicorn's grace).
        """
        if self.stopping:
            return True
        self._waiting.add(signal)
        try:
            with anyio.move_on_after(timeout_s):
                await signal.wait()
        finally:
            self._waiting.discard(signal)
        return self.stopping

    @contextmanager
    def subscribe(self, job_id: str) -> Iterator[asyncio.Event]:
        signal = asyncio.Event()
        self._signals.setdefault(job_id, set()).add(signal)
        try:
            yield signal
        finally:
            group = self._signals.get(job_id, set())
            group.discard(signal)
            if not group:
                self._signals.pop(job_id, None)


async def follow(
    fetch: Callable[[int], Awaitable[Sequence[StreamEvent]]],
    after: int,
    *,
    signal: asyncio.Event,
    poll_s: float,
    is_final: Callable[[], Awaitable[bool]],
    ping_s: float = 15.0,
    wakeups: Wakeups | None = None,
) -> AsyncIterator[str]:
    """Yield events with seq > ``after`` until a final one; comment pings keep proxies from hanging up.

    ``signal`` is set when new events may exist; ``poll_s`` bounds the wait
    for writes this process cannot see. ``is_final`` covers a job that ended
    without a final event in its log: the stream stops once the log is drained.
    With ``wakeups``, the stream ends (``STOPPING``) once the server begins to stop.
    """
    yield format_event("open", {"after": after}, retry_ms=1000)
    last_ping = time.monotonic()
    while True:
        signal.clear()  # cleared before reading, so an event committed meanwhile still wakes us
        events = await fetch(after)
        for item in events:
            after = after if item.seq is None else item.seq
            yield format_event(item.event, item.data, event_id=item.seq)
            if item.event in FINAL_EVENTS:
                return
        if not events and await is_final():
            # The job may have ended between the fetch above and this look: its final event is in
            # the log now, so drain it once more rather than close the stream without it.
            for item in await fetch(after):
                yield format_event(item.event, item.data, event_id=item.seq)
            return
        if time.monotonic() - last_ping >= ping_s:
            last_ping = time.monotonic()
            yield ": ping\n\n"
        if wakeups is None:
            with anyio.move_on_after(poll_s):
                await signal.wait()
        elif await wakeups.pause(signal, poll_s):
            yield STOPPING
            return
