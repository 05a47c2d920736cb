"""A batch's and a project's follow on a server wait out a restart for a time, as `watch` does, said once."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from reelgen.api.sse import format_event
from reelgen.cli import client as client_cli
from reelgen.cli import project_remote, remote
from reelgen.cli.client import ClientError

SERVER = "http://reelgen.test"
STREAM = {"Content-Type": "text/event-stream"}
COUNTS = {"total": 1, "completed": 1, "failed": 0, "cancelled": 0}
DONE = {"id": "batch_1", "status": "completed", "request_counts": COUNTS}


def _down_for(seconds: float, first: tuple[str, dict[str, Any]], end: dict[str, Any]) -> Any:
    """A server that sends the ``first`` event, goes away for ``seconds``, then sends the ``end``."""
    down: list[float] = []

    def dropped() -> Iterator[bytes]:
        yield format_event(*first, event_id=1).encode()
        down.append(time.monotonic())
        raise httpx.ReadError("server went away")

    def handler(request: httpx.Request) -> httpx.Response:
        if not down:
            return httpx.Response(200, content=dropped(), headers=STREAM)
        if time.monotonic() - down[0] < seconds:
            raise httpx.ConnectError("[Errno 111] Connection refused")
        return httpx.Response(200, text=format_event("completed", end, event_id=2), headers=STREAM)

    return httpx.MockTransport(handler)


def _window(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    monkeypatch.setattr(remote, "RECONNECT_S", 0.01)
    monkeypatch.setattr(project_remote, "RECONNECT_S", 0.01)
    monkeypatch.setattr(client_cli, "RECONNECT_WINDOW_S", seconds)


def _follow_batch(monkeypatch: pytest.MonkeyPatch, down_s: float) -> dict[str, Any]:
    running = {**DONE, "status": "in_progress", "request_counts": {**COUNTS, "completed": 0}}
    transport = _down_for(down_s, ("batch", running), DONE)

    def client(server: str, api_key: str | None, read_s: float = 30.0) -> httpx.Client:
        return httpx.Client(base_url=server, transport=transport)

    monkeypatch.setattr(remote, "_client", client)
    return remote.follow(SERVER, None, "/v1/batches/batch_1", running, "batch", True)


def _follow_project(down_s: float, tmp_path: Path) -> dict[str, Any]:
    folder: Any = SimpleNamespace(root=tmp_path / "film")
    follower = project_remote.Remote(SERVER, None, folder=folder)
    job = {"id": "pjob_1", "status": "completed"}
    transport = _down_for(down_s, ("progress", {"progress": 5}), {"job": job})
    follower.__dict__["http"] = httpx.Client(base_url=SERVER, transport=transport)
    return follower.follow("proj_1", {"id": "pjob_1", "status": "queued"}, quiet=True)


def _said(capsys: pytest.CaptureFixture[str]) -> str:
    return " ".join(capsys.readouterr().err.split())


def test_a_batch_follow_waits_out_a_restart_longer_than_twenty_tries(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # 20 tries 1 s apart ended the follow while a slow server (Ray, a large GPU host) was still starting.
    _window(monkeypatch, 5.0)
    assert _follow_batch(monkeypatch, 0.6)["status"] == "completed"  # far more than 20 tries 0.01 s apart
    assert _said(capsys).count(f"{SERVER} stopped answering; waiting up to 5 s for it to come back") == 1


def test_a_batch_follow_gives_up_after_the_window_naming_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _window(monkeypatch, 0.3)
    started = time.monotonic()
    with pytest.raises(remote.ServerError) as caught:
        _follow_batch(monkeypatch, 3600)
    assert time.monotonic() - started < 3
    lost = f"lost the event stream of batch_1: {SERVER} stopped answering ([Errno 111] Connection refused; "
    assert re.match(
        re.escape(lost) + r"no answer for 0\.[3-9] s\); the batch may run on: ", str(caught.value)
    )
    assert _said(capsys).count("waiting up to 0.3 s for it to come back") == 1


def test_a_project_follow_waits_out_a_restart_longer_than_twenty_tries(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _window(monkeypatch, 5.0)
    assert _follow_project(0.6, tmp_path)["status"] == "completed"
    assert _said(capsys).count(f"{SERVER} stopped answering; waiting up to 5 s for it to come back") == 1


def test_a_project_follow_gives_up_after_the_window_saying_how_to_go_on(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # It said only "lost the event stream of pjob_1 on http://...": not why, nor what became of the job.
    _window(monkeypatch, 0.3)
    with pytest.raises(ClientError) as caught:
        _follow_project(3600, tmp_path)
    said = str(caught.value)
    lost = f"lost the event stream of pjob_1: {SERVER} stopped answering ([Errno 111] Connection refused; "
    assert re.match(re.escape(lost) + r"no answer for 0\.[3-9] s\); it may run on: ", said), said
    assert f"`reelgen project status {tmp_path / 'film'} --server {SERVER}` shows it" in said
    assert f"`reelgen cancel pjob_1 --server {SERVER}` stops it" in said


def test_ctrl_c_while_the_server_is_waited_for_says_the_render_runs_on_and_how_to_stop_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # The cancel sent on Ctrl-C could not reach the server either: "cannot reach URL" was all that
    # was said, the render left running on the server unsaid.
    _window(monkeypatch, 5.0)
    tries: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":  # the cancel: the server is still away
            raise httpx.ConnectError("[Errno 111] Connection refused")
        tries.append(1)
        if len(tries) == 1:  # one event, then the stream closes
            body = format_event("progress", {"progress": 5}, event_id=1)
            return httpx.Response(200, text=body, headers=STREAM)
        if len(tries) == 3:  # the person gives up waiting
            raise KeyboardInterrupt
        raise httpx.ConnectError("[Errno 111] Connection refused")

    folder: Any = SimpleNamespace(root=tmp_path)
    follower = project_remote.Remote(SERVER, None, folder=folder)
    follower.__dict__["http"] = httpx.Client(base_url=SERVER, transport=httpx.MockTransport(handler))
    with pytest.raises(KeyboardInterrupt):
        follower.follow("proj_1", {"id": "pjob_1", "status": "queued"}, quiet=True)
    said = _said(capsys)
    assert "not cancelled on the server (cannot reach" in said
    assert f"`reelgen cancel pjob_1 --server {SERVER}` stops it once the server answers" in said
