"""While the Ray head is down, "starting the ray engine again failed (...)" was logged on every try,
backing off to one every 30 s, for as long as the head stayed down; it is said once, then only when
the reason changes, and when the engine is back."""

from __future__ import annotations

import logging
from collections import deque

import pytest

from reelgen.jobs import supervisor
from reelgen.jobs.supervisor import EngineHost

HEAD_DOWN = "cannot reach the Ray cluster at RAY_ADDRESS=10.0.0.5:6380 (connection refused)"
NOT_A_GCS = "10.0.0.5:6380 answers gRPC, but not as a Ray head"


class FailingEngine:
    """An engine whose starts raise ``failures`` in turn, then succeed."""

    name = "ray"

    def __init__(self, *failures: str) -> None:
        self.failures = deque(failures)

    def start(self) -> None:
        if self.failures:
            raise RuntimeError(self.failures.popleft())

    def stop(self) -> None:
        pass

    def health(self) -> None:
        return None


def test_a_head_down_for_many_tries_is_said_once_then_on_change_and_when_back(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(supervisor, "FIRST_RETRY_S", 0.0)  # the tries follow at once
    engine = FailingEngine(HEAD_DOWN, HEAD_DOWN, HEAD_DOWN, NOT_A_GCS, NOT_A_GCS, HEAD_DOWN)
    host = EngineHost(engine, lambda reason: None)  # type: ignore[arg-type]
    with caplog.at_level(logging.INFO, logger="reelgen.jobs.supervisor"):
        host._restart()
    assert caplog.messages == [
        f"starting the ray engine again failed ({HEAD_DOWN}); trying again, at most 30 s apart "
        "(said again only when the reason changes)",
        f"starting the ray engine again still fails, now: {NOT_A_GCS}",
        f"starting the ray engine again still fails, now: {HEAD_DOWN}",
        "the ray engine is running again (restart 1, after 6 failed tries)",
    ]
    assert host.restarts == 1
