"""The soak of test_soak.py and test_soak_ray.py: bursts of 200 concurrent requests with an idle gap between,
past the web server's thread pruning; the server, its engine and every job must survive.

AnyIO ends a worker thread after 10 s idle. A private Ray started on such a
thread died with it (its processes carry PR_SET_PDEATHSIG), and the API
process followed a minute later. The gaps here are longer than that on
purpose: the idle time is the condition under test, not a wait for something.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import random
import time
from pathlib import Path
from typing import Any

import httpx

from tests.service.server import TINY, Server, running

#: AnyIO's worker threads end after 10 s without work.
IDLE_GAP_S = 11.0
#: Two bursts with a gap between: the second burst runs on the threads the gap pruned and replaced.
BURSTS = 2
BURST = 200
CREATES_PER_BURST = 4


def in_own_loop(coroutine: Any) -> Any:
    """Runs ``coroutine`` to its end on a thread of its own: the browser tests leave Playwright's
    event loop on this worker's main thread, where ``asyncio.run`` refuses to start another."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def burst(url: str, known: list[str], round_: int) -> list[httpx.Response]:
    """200 requests at once: a few creates, then reads of videos, lists and health routes."""
    limits = httpx.Limits(max_connections=BURST, max_keepalive_connections=BURST)
    async with httpx.AsyncClient(base_url=url, timeout=120.0, limits=limits) as client:
        calls: list[Any] = [
            client.post("/v1/videos", json={**TINY, "seed": round_ * 100 + i})
            for i in range(CREATES_PER_BURST)
        ]
        for i in range(BURST - CREATES_PER_BURST):
            pick = i % 5
            if pick == 0:
                calls.append(client.get("/v1/videos", params={"limit": 50}))
            elif pick == 1:
                calls.append(client.get("/readyz"))
            elif known:
                calls.append(client.get(f"/v1/videos/{random.choice(known)}"))
            else:
                calls.append(client.get("/healthz"))
        return list(await asyncio.gather(*calls))


def soak(engine: str, tmp_path: Path, reelgen_home: Path) -> Server:
    """Two bursts and the idle gap between them on a server of ``engine``; fails on any 5xx, lost job or engine
    restart. Returns the server, stopped (Ctrl-C) by then."""
    with running(tmp_path / "server", home=reelgen_home, REELGEN_ENGINE=engine) as server:
        before = server.http.get("/v1/system").json()["detail"]["engine"]
        created: list[str] = []
        errors: list[int] = []
        for round_ in range(BURSTS):
            if round_:
                time.sleep(IDLE_GAP_S)  # idle past the thread pruning: the scenario itself
            answers = in_own_loop(burst(server.url, created, round_))
            errors += [r.status_code for r in answers if r.status_code >= 500]
            created += [
                r.json()["id"] for r in answers if r.request.method == "POST" and r.status_code == 202
            ]
            assert server.process is not None and server.process.poll() is None, server.log()
            ready = server.http.get("/readyz")
            assert ready.status_code == 200, f"{ready.text}\n{server.log()}"
        seen = server.wait_all(created)
        after = server.http.get("/v1/system").json()["detail"]["engine"]
    assert errors == []
    assert len(created) == BURSTS * CREATES_PER_BURST
    assert {v["status"] for v in seen.values()} == {"completed"}
    assert after["pids"] == before["pids"] and after["restarts"] == 0  # the same engine throughout
    return server
