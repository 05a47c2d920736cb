"""/generate-avatar: base64 as base64(1) writes it, and a wait that holds no thread."""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from reelgen.jobs.service import JobService
from tests.api.test_avatars_api import voice  # noqa: F401  (the fixture)


def test_line_wrapped_base64_is_read(make_client: Callable[..., TestClient], voice: bytes) -> None:  # noqa: F811
    client = make_client(wait_timeout_s=0.01)  # no workers run here: the job queues and the wait gives up
    wrapped = base64.encodebytes(voice).decode()
    assert "\n" in wrapped
    resp = client.post("/generate-avatar", json={"audio": wrapped})
    assert resp.status_code == 504, resp.text  # queued, not "audio: not valid base64"
    assert client.get("/v1/videos").json()["data"][0]["parameters"]["task"] == "avatar"


def test_the_wait_holds_no_thread(
    make_client: Callable[..., TestClient],
    voice: bytes,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """It waited in a thread of the pool sync routes run in (JobService.wait), so forty callers waiting
    stalled every other route, as /generate-video once did; it now waits on the event loop as that does."""

    def held(*args: object, **kwargs: object) -> None:
        raise AssertionError("waited in a thread")

    monkeypatch.setattr(JobService, "wait", held)
    client = make_client(wait_timeout_s=0.05)
    resp = client.post("/generate-avatar", json={"audio": base64.b64encode(voice).decode()})
    assert resp.status_code == 504, resp.text
    assert resp.json()["error"]["code"] == "timeout"
