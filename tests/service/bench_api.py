"""API latency under concurrent clients: create, GET and list p50/p99 and 5xx count, SQLite or PostgreSQL.

Prints one JSON line per phase.

    python -m tests.service.bench_api sqlite [--requests 1000] [--concurrency 50 200]
    python -m tests.service.bench_api postgresql+psycopg://postgres@127.0.0.1:5432/test

The server is the real app under uvicorn in its own process, as `reelgen serve`
runs it, with the job service not started: jobs queue and never run, so what is
timed is the API and its database, not a render competing for the CPU. The
clients run in this process, one keep-alive connection each, on a bare asyncio
HTTP/1.1 client: httpx's async pool itself tops out near 200 requests/s on this
machine (measured against an app that only answers ``{}``), which would hide the
server; this one does about 6000/s there.
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


class Connection:
    """One keep-alive HTTP/1.1 connection; the API always answers with a Content-Length."""

    def __init__(self, port: int) -> None:
        self.port = port

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def request(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, bytes]:
        data = b"" if body is None else json.dumps(body).encode()
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n"
        )
        self.writer.write(head.encode() + data)
        status = int((await self.reader.readline()).split()[1])
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        return status, await self.reader.readexactly(length)


async def phase(port: int, kind: str, total: int, clients: int, ids: list[str]) -> dict[str, Any]:
    """``total`` requests of ``kind`` from ``clients`` concurrent clients; latencies in ms."""
    latencies: list[float] = []
    statuses: list[int] = []
    left = iter(range(total))

    async def client() -> None:
        conn = Connection(port)
        await conn.open()
        for i in left:
            began = time.perf_counter()
            if kind == "create":
                status, payload = await conn.request("POST", "/v1/videos", {**BODY, "seed": i})
                if status == 202:
                    ids.append(json.loads(payload)["id"])
            elif kind == "get":
                status, _ = await conn.request("GET", f"/v1/videos/{random.choice(ids)}")
            else:  # a page of 100 queued jobs, each with its queue position
                status, _ = await conn.request("GET", "/v1/videos?limit=100&status=queued")
            latencies.append((time.perf_counter() - began) * 1000)
            statuses.append(status)
        conn.writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
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
                for kind in ("create", "get", "list"):
                    result = asyncio.run(phase(port, kind, args.requests, clients, ids))
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
