"""A waiting video's event stream says its place in line, and again each time a job ahead goes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi.testclient import TestClient
from rich.progress import Progress

from reelgen.api import sse
from reelgen.api.video_stream import job_events
from reelgen.cli import client as client_cli
from reelgen.cli.client import sse_events

TINY = {"model": "wan-tiny", "size": "64x64", "num_frames": 9}


def _create(client: TestClient) -> str:
    resp = client.post("/v1/videos", json={"prompt": "a red fox", **TINY})
    assert resp.status_code == 202, resp.text
    return str(resp.json()["id"])


def _frame(text: str) -> tuple[str | None, str, dict[str, Any]]:
    (event,) = sse_events(iter(text.split("\n")))
    return event


def test_a_waiting_video_hears_its_place_in_line_and_each_change(client: TestClient) -> None:
    first, second = _create(client), _create(client)
    service = client.app.state.service  # type: ignore[attr-defined]

    async def follow() -> list[tuple[str | None, str, dict[str, Any]]]:
        frames: AsyncIterator[str] = job_events(service, second, lambda job: {}, sse.Wakeups(), 0)
        heard = [_frame(await anext(frames)) for _ in range(3)]  # open, queued, position
        service.cancel(first)  # the job ahead goes: the next poll tells the new place
        heard.append(_frame(await anext(frames)))
        service.cancel(second)
        heard += [_frame(frame) async for frame in frames]
        return heard

    # Its own thread and loop: a browser test earlier in this process can leave one running here.
    with ThreadPoolExecutor(1) as pool:
        heard = pool.submit(asyncio.run, follow()).result(timeout=30)
    assert [(i, name) for i, name, _ in heard] == [
        (None, "open"),
        ("1", "queued"),
        (None, "position"),
        (None, "position"),
        ("2", "cancelled"),
    ]
    assert [data["queue_position"] for _, name, data in heard if name == "position"] == [1, 0]


def test_a_finished_video_streams_no_position(client: TestClient) -> None:
    video = _create(client)
    client.post(f"/v1/videos/{video}/cancel")
    with client.stream("GET", f"/v1/videos/{video}/events") as resp:
        names = [name for _, name, _ in sse_events(resp.iter_lines())]
    assert names == ["open", "queued", "cancelled"]


def test_watch_shows_the_place_in_line() -> None:
    bar = Progress(auto_refresh=False)
    task = bar.add_task("queued", total=100, info="")
    for ahead, said in ((3, "3 ahead in line"), (0, "next in line")):
        client_cli._show(bar, task, "position", {"queue_position": ahead}, None, {})
        assert bar.tasks[0].fields["info"] == said
