"""API latency under concurrent clients: create and GET p50/p99 and 5xx count, SQLite or PostgreSQL. Prints JSON.

    python -m tests.service.bench_api sqlite [--requests 1000] [--concurrency 50 200]
    python -m tests.service.bench_api postgresql+psycopg://postgres@127.0.0.1:5432/test

The server is the real app under uvicorn in its own process, as `reelgen serve`
runs it, with the job service not started: jobs queue and never run, so what is
timed is the API and its database, not a render competing for the CPU. The
clients run in this process (asyncio + httpx, one connection per client).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from typing import Any

import httpx
import sqlalchemy as sa

from tests.service.server import free_port

SERVER = r"""
import sys, uvicorn
from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.jobs.settings import JobSettings
jobs = JobSettings(data_dir=sys.argv[1], database_url=sys.argv[2] or None, max_queue=10**7)
app = create_app(ApiSettings(jobs=jobs, serve_web=False), start_service=False)
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[3]), log_level="warning")
"""
BODY = {"prompt": "a red fox", "model": "wan-tiny", "size": "64x64", "num_frames": 9}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def phase(url: str, kind: str, total: int, clients: int, ids: list[str]) -> dict[str, Any]:
    """``total`` requests of ``kind`` from ``clients`` concurrent clients; latencies in ms."""
    latencies: list[float] = []
    statuses: list[int] = []
    left = iter(range(total))
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(http: httpx.AsyncClient) -> None:
        for i in left:
            began = time.perf_counter()
            if kind == "create":
                resp = await http.post("/v1/videos", json={**BODY, "seed": i})
                if resp.status_code == 202:
                    ids.append(resp.json()["id"])
            else:
                resp = await http.get(f"/v1/videos/{random.choice(ids)}")
            latencies.append((time.perf_counter() - began) * 1000)
            statuses.append(resp.status_code)

    began = time.perf_counter()
    async with httpx.AsyncClient(base_url=url, timeout=300.0, limits=limits) as http:
        await asyncio.gather(*(client(http) for _ in range(clients)))
    wall = time.perf_counter() - began
    return {
        "kind": kind,
        "concurrency": clients,
        "requests": total,
        "p50_ms": round(statistics.median(latencies), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "per_s": round(total / wall, 1),
        "5xx": sum(1 for s in statuses if s >= 500),
        "other_errors": sum(1 for s in statuses if 400 <= s < 500),
    }


def private_schema(url: str) -> tuple[str, str]:
    """A fresh schema on the PostgreSQL at ``url``, and the URL that uses it."""
    schema = f"reelgen_bench_{uuid.uuid4().hex[:8]}"
    with sa.create_engine(url).begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    return schema, f"{url}?options=-csearch_path%3D{schema}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database", help="sqlite, or a PostgreSQL URL")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[50, 200])
    args = parser.parse_args()
    schema = None
    url = ""
    if args.database != "sqlite":
        schema, url = private_schema(args.database)
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        env = {**os.environ, "OMP_NUM_THREADS": "1"}
        server = subprocess.Popen([sys.executable, "-c", SERVER, folder, url, str(port)], env=env)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 120
            while True:
                try:
                    httpx.get(f"{base}/healthz")
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline and server.poll() is None, "the server did not start"
                    time.sleep(0.2)
            ids: list[str] = []
            for clients in args.concurrency:
                for kind in ("create", "get"):
                    result = asyncio.run(phase(base, kind, args.requests, clients, ids))
                    print(
                        json.dumps({"database": "sqlite" if not schema else "postgresql", **result}),
                        flush=True,
                    )
        finally:
            server.terminate()
            server.wait(30)
            if schema is not None:
                with sa.create_engine(args.database).begin() as conn:
                    conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))


if __name__ == "__main__":
    main()
