"""An event stream ends as soon as the server begins to stop (``Wakeups.stop``), whatever it waits on."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace
from typing import Any

import anyio
import pytest

from reelgen.api import project_jobs, sse


async def _nothing_new(after: int) -> list[sse.StreamEvent]:
    return []


async def _not_final() -> bool:
    return False


async def _read_until_stop(frames: Any, wakeups: sse.Wakeups) -> list[str]:
    """The frames of a stream: the first, then all that come once ``wakeups.stop()`` is called.

    Each wait of the stream lasts a minute unless woken, so only the stop can end it within 10 s.
    """
    seen = [await frames.__anext__()]
    wakeups.stop()
    with anyio.fail_after(10):
        seen += [frame async for frame in frames]
    return seen


def _run(make: Any) -> list[str]:
    async def main() -> list[str]:
        wakeups = sse.Wakeups()
        wakeups.bind(asyncio.get_running_loop())
        return await _read_until_stop(make(wakeups), wakeups)

    # Its own thread and loop: a browser test earlier in this process can leave one running here.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, main()).result()


def test_a_video_stream_waiting_for_news_ends_with_a_comment_when_the_server_stops() -> None:
    def make(wakeups: sse.Wakeups) -> Any:
        return sse.follow(
            _nothing_new, 0, signal=asyncio.Event(), poll_s=60, is_final=_not_final, wakeups=wakeups
        )

    frames = _run(make)
    assert frames[0].startswith("retry: 1000\nevent: open\n")
    assert frames[1:] == [sse.STOPPING]  # a comment: EventSource and `reelgen watch` skip it


def test_a_project_job_stream_ends_when_the_server_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    class Service:
        """What ``project_jobs.follow`` asks of the job service: a job that runs on, with no events."""

        def get(self, job_id: str) -> Any:
            return job

    job: Any = SimpleNamespace(id="job_1", terminal=False)
    monkeypatch.setattr(project_jobs, "payload", lambda job: None)
    monkeypatch.setattr(project_jobs, "_frames", lambda *args: [])

    async def final_view() -> dict[str, Any]:
        return {}

    def make(wakeups: sse.Wakeups) -> Any:
        return project_jobs.follow(Service(), job, [], final_view, poll_s=60, wakeups=wakeups)  # type: ignore[arg-type]

    frames = _run(make)
    assert frames[0].startswith("retry: 1000\nevent: open\n")
    assert frames[1:] == [sse.STOPPING]


def test_a_stream_opened_once_the_server_is_stopping_ends_after_its_first_read() -> None:
    async def main() -> list[str]:
        wakeups = sse.Wakeups()
        wakeups.bind(asyncio.get_running_loop())
        wakeups.stop()
        await asyncio.sleep(0)  # stop() is thread-safe: it runs on the loop's next turn
        stream = sse.follow(
            _nothing_new, 0, signal=asyncio.Event(), poll_s=60, is_final=_not_final, wakeups=wakeups
        )
        with anyio.fail_after(10):
            return [frame async for frame in stream]

    with ThreadPoolExecutor(1) as pool:
        frames = pool.submit(asyncio.run, main()).result()
    assert frames[1:] == [sse.STOPPING]
