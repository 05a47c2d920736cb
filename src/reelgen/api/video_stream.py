"""A video job's live events as a server-sent event stream: its log followed from where a client left off."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool

from reelgen.api import sse
from reelgen.jobs.records import Job, JobNotFound
from reelgen.jobs.service import JobService


async def job_events(
    service: JobService,
    job_id: str,
    present: Callable[[Job], dict[str, Any]],
    wakeups: sse.Wakeups,
    after: int,
) -> AsyncIterator[str]:
    """The frames of job ``job_id``'s events after ``after``, each final one with the video (``present``);
    the stream ends after the final event, or with a ``cancelled`` of its own once the job is deleted."""
    ended = False

    def final_video() -> dict[str, Any] | None:
        try:
            return present(service.get(job_id))
        except JobNotFound:  # deleted between its final event and this read: the event still goes out
            return None

    async def fetch(seq: int) -> list[sse.StreamEvent]:
        nonlocal ended
        events = await run_in_threadpool(service.events, job_id, seq, 200)
        out = []
        for ev in events:
            data = {"id": job_id, **ev.data}
            if ev.type in sse.FINAL_EVENTS:
                ended = True
                video = await run_in_threadpool(final_video)
                data.update({"video": video} if video is not None else {"deleted": True})
            out.append(sse.StreamEvent(ev.seq, ev.type, data))
        return out

    async def gone() -> bool:
        try:
            await run_in_threadpool(service.get, job_id)
        except JobNotFound:
            return True
        return False

    async def is_final() -> bool:
        try:
            return (await run_in_threadpool(service.get, job_id)).terminal
        except JobNotFound:  # deleted while we streamed: nothing more will come
            return True

    with wakeups.subscribe(job_id) as signal:
        async for frame in sse.follow(fetch, after, signal=signal, poll_s=1.0, is_final=is_final):
            yield frame
    if not ended and await gone():
        # Deleted while it ran: its log went with it, final event and all, so a client that reads
        # streams by their final event (not this server's 404 after) would have been left waiting.
        yield sse.format_event(
            "cancelled", {"id": job_id, "deleted": True, "message": "the video was deleted"}
        )
