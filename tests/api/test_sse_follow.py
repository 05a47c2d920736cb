"""The event stream's loop, alone: every event reaches the client, the final one included."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from reelgen.api import sse


def test_a_job_that_ends_between_two_reads_still_sends_its_final_event() -> None:
    """The log read finds nothing new, then the job is already over when its status is read: the
    final event was committed in between, and the stream must send it before it closes."""
    log = [sse.StreamEvent(1, "progress", {"step": 1})]
    reads = 0

    async def fetch(after: int) -> list[sse.StreamEvent]:
        nonlocal reads
        reads += 1
        return [e for e in log if e.seq > after]

    async def is_final() -> bool:
        log.append(sse.StreamEvent(2, "completed", {"video": {}}))  # committed just before this read
        return True

    async def collect() -> list[str]:
        return [
            frame
            async for frame in sse.follow(fetch, 0, signal=asyncio.Event(), poll_s=0.01, is_final=is_final)
        ]

    # Its own thread and loop: a browser test earlier in this process can leave one running here.
    with ThreadPoolExecutor(1) as pool:
        frames = pool.submit(asyncio.run, collect()).result()
    names = [
        line.removeprefix("event: ") for f in frames for line in f.splitlines() if line.startswith("event: ")
    ]
    assert names == ["open", "progress", "completed"]
