"""A video job's live events as a server-sent event stream: its log followed from where a client left off."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response, StreamingResponse

from reelgen.api import sse
from reelgen.jobs.records import Job, JobNotFound
from reelgen.jobs.service import JobService


def ended_before(service: JobService, job: Job, after: int) -> bool:
    """Whether ``job`` had ended by its event ``after``, so that no event will ever follow it.

    An EventSource reconnects whenever a stream closes, sending the last id it read: one that read the
    final event got an empty stream, closed at once, and came back each second for ever. A 204 is
    what tells it to stop (the HTML standard's EventSource fails the connection on it).
    """
    return job.terminal and not service.events(job.id, after, 1)


async def events_answer(
    service: JobService,
    job: Job,
    present: Callable[[Job], dict[str, Any]],
    wakeups: sse.Wakeups,
    after: int,
) -> Response:
    """``job``'s event stream after event ``after`` (``job_events``), or a 204 when it had ended by then."""
    if await run_in_threadpool(ended_before, service, job, after):
        return Response(status_code=204)
    frames = job_events(service, job.id, present, wakeups, after)
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(frames, media_type="text/event-stream", headers=headers)


async def job_events(
    service: JobService,
    job_id: str,
    present: Callable[[Job], dict[str, Any]],
    wakeups: sse.Wakeups,
    after: int,
) -> AsyncIterator[str]:
    """The frames of job ``job_id``'s events after ``after``, each final one with the video (``present``);
    the stream ends after the final event, or with a ``cancelled`` of its own once the job is deleted,
    or with a comment (``sse.STOPPING``) once the server begins to stop.

    While the job waits, a ``position`` event (no id: it is in no log) says how many queued jobs start
    before it, each time that number changes: the log has no event for a job ahead that starts or goes.
    """
    ended = False
    waiting: bool | None = None  # None: not known yet (a stream resumed after its queued event)
    place: int | None = None  # the last position sent

    def final_video() -> dict[str, Any] | None:
        try:
            return present(service.get(job_id))
        except JobNotFound:  # deleted between its final event and this read: the event still goes out
            return None

    async def fetch(seq: int) -> list[sse.StreamEvent]:
        nonlocal ended, waiting, place
        events = await run_in_threadpool(service.events, job_id, seq, 200)
        out: list[sse.StreamEvent] = []
        for ev in events:
            data = {"id": job_id, **ev.data}
            if ev.type in sse.FINAL_EVENTS:
                ended = True
                video = await run_in_threadpool(final_video)
                data.update({"video": video} if video is not None else {"deleted": True})
            elif ev.type in ("queued", "started"):
                waiting, place = ev.type == "queued", None  # a requeued job's place is told anew
            out.append(sse.StreamEvent(ev.seq, ev.type, data))
        if not ended and waiting is not False:  # a running job is not asked about: one query per poll
            now = await run_in_threadpool(position)
            waiting = now is not None
            if now is not None and now != place:
                place = now
                out.append(sse.StreamEvent(None, "position", {"id": job_id, "queue_position": now}))
        return out

    def position() -> int | None:
        try:
            return service.queue_position(job_id)
        except JobNotFound:  # deleted meanwhile: the stream's end says so
            return None

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
        async for frame in sse.follow(
            fetch, after, signal=signal, poll_s=1.0, is_final=is_final, wakeups=wakeups
        ):
            yield frame
    if not ended and not wakeups.stopping and await gone():
        # Deleted while it ran: its log went with it, final event and all, so a client that reads
        # streams by their final event (not this server's 404 after) would have been left waiting.
        yield sse.format_event(
            "cancelled", {"id": job_id, "deleted": True, "message": "the video was deleted"}
        )
