"""Reading a job's event stream across drops: the one reconnect window of watch and the followers.

``reelgen watch`` and the batch, shoot-out and project followers each had
their own copy of this loop, and the copies drifted apart (what kept the
window fresh, what a proxy's 502 meant).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any, NoReturn

import httpx

from reelgen.cli import client
from reelgen.cli.output import console, shown

Event = tuple[str | None, str, dict[str, Any]]
#: What a reverse proxy answers while the server behind it restarts (and ``reelgen serve`` while
#: its engine restarts, 503): a drop once a stream was read, not a final answer.
PROXY_DROPS = (502, 503, 504)


class EventStream:
    """One job's event stream at ``server``, tried again ``pause`` s apart after each drop.

    Any line the stream sends (a ``: ping`` too: a server that pings is alive) is word from the
    server. After a drop it is tried again until ``client.RECONNECT_WINDOW_S`` has passed since
    the first failure after that word, and at least once: a read that timed out (no line for
    120 s or more) had used up a window counted from the last word before a single try.
    ``known``: the server answered already (the POST that made the job), so a first try that
    reaches nothing is a drop, not a wrong URL.
    """

    def __init__(self, server: str, pause: float, known: bool = False) -> None:
        self.server, self.pause, self.known = server, pause, known
        self.reached = False  # an event stream was read: a proxy's page after it is a drop
        self.heard = time.monotonic()  # when the stream last said anything
        self.since = self.heard  # when the window began: the first failure after that
        self.tries = 0  # tries since the stream last said anything
        self.lost: str | None = None  # the last drop, said if the stream never comes back

    def events(
        self,
        http: httpx.Client,
        path: str,
        refuse: Callable[[httpx.Response], NoReturn],
        resume: bool = True,
    ) -> Iterator[Event]:
        """The events at ``path`` until the caller stops reading, across drops (resumed after the
        last event's id when ``resume``); ends when the window has passed (``gone`` says why).

        ``refuse`` raises what an error answer, or a page read where a stream was wanted, says.
        """
        last_id: str | None = None
        while True:
            headers = {"Last-Event-ID": last_id} if resume and last_id else {}
            try:
                with http.stream("GET", path, headers=headers) as resp:
                    if self._opened(resp, refuse):
                        for event in client.sse_events(self._lines(resp.iter_lines())):
                            last_id = event[0] or last_id
                            yield event
            except httpx.TransportError as exc:
                if not (self.reached or self.known):  # nothing was ever reached: the URL is wrong
                    raise client.unreachable(self.server, exc) from None
                self.lost = str(exc)
            if not self._again():
                return

    def _opened(self, resp: httpx.Response, refuse: Callable[[httpx.Response], NoReturn]) -> bool:
        """True for an event stream to read; False for a proxy's answer after one (a drop)."""
        code, stream = resp.status_code, client.is_event_stream(resp)
        if code < 400 and stream:
            self.reached = True
            return True
        if self.reached and (code in PROXY_DROPS or (code < 400 and not stream)):
            kind = resp.headers.get("Content-Type", "no content type").split(";")[0]
            self.lost = f"the last try got HTTP {code} ({kind}), no event stream"
            return False
        resp.read()  # before it was ever read: a wrong URL or a real error, said at once
        refuse(resp)

    def _lines(self, lines: Iterator[str]) -> Iterator[str]:
        """``lines`` as they come, each noted as word from the server: a later drop is said again."""
        for line in lines:
            self.heard, self.tries, self.lost = time.monotonic(), 0, None
            yield line

    def _again(self) -> bool:
        """After a drop or an early end: waits ``pause`` s and says True, or False once the
        window has passed (the first try after word from the server is always made)."""
        window = client.RECONNECT_WINDOW_S  # read now: one setting for watch and the followers
        now = time.monotonic()
        if self.tries == 0:
            self.since = now
            console.print(
                f"{shown(self.server)} stopped answering; waiting up to {window:g} s for it to come back",
                highlight=False,
            )
        elif now - self.since >= window:
            return False
        self.tries += 1
        time.sleep(self.pause)
        return True

    def gone(self) -> str:
        """Why the stream was given up: the last drop, or a stream that kept closing, and how long
        the server has said nothing (not the window: a read that timed out waited longer)."""
        silent = time.monotonic() - self.heard
        said = f"no answer for {silent:.0f} s" if silent >= 10 else f"no answer for {silent:.1f} s"
        if self.lost is not None:
            return f"{self.server} stopped answering ({self.lost}; {said})"
        return f"it closed, with {said}, before the job ended"
