"""The engine thread outlives a failing health check and a database that fails with the engine."""

from __future__ import annotations

from collections import deque

import pytest

from reelgen.jobs.engine import Down
from reelgen.jobs.supervisor import EngineHost
from tests.jobs.helpers import wait_for


class ScriptedEngine:
    """An engine whose health answers come from ``answers`` (an exception is raised), then None."""

    name = "scripted"

    def __init__(self, *answers: Down | Exception | None) -> None:
        self.answers = deque(answers)
        self.starts = 0

    def start(self) -> None:
        self.starts += 1

    def stop(self) -> None:
        pass

    def maintain(self) -> None:
        pass

    def health(self) -> Down | None:
        answer = self.answers.popleft() if self.answers else None
        if isinstance(answer, Exception):
            raise answer
        return answer


def test_a_check_that_raises_and_a_failed_requeue_still_end_in_a_restarted_engine(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Either ended the engine thread: the engine was stopped and never started again, and the
    server went on taking jobs that waited for ever. A network cut can take the Ray cluster and
    the PostgreSQL database at once, so the requeue fails just when the engine died."""
    engine = ScriptedEngine(
        None, RuntimeError("gcs lookup raised"), Down("the Ray cluster does not answer", fatal=True)
    )

    def on_lost(reason: str) -> None:
        raise RuntimeError("the database is unreachable")

    host = EngineHost(engine, on_lost, check_s=0.01)  # type: ignore[arg-type]
    host.start(timeout_s=5)
    try:
        wait_for(lambda: host.restarts == 1, timeout_s=5, what="the engine started again")
        assert host.alive and engine.starts == 2
    finally:
        host.stop()
    assert "watching the scripted engine failed (gcs lookup raised); trying again" in caplog.text
    assert (
        "putting the scripted engine's jobs back in the queue failed (the database is unreachable)"
        in caplog.text
    )


class FailingUpkeep(ScriptedEngine):
    """Its workers cannot be started: ``maintain`` raises every time."""

    def __init__(self) -> None:
        super().__init__()
        self.tries = 0

    def maintain(self) -> None:
        self.tries += 1
        raise OSError(24, "Too many open files")


def test_a_worker_that_cannot_be_started_is_said_once_not_only_at_debug_level(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # /readyz said the worker was restarting and the log said nothing at the default level.
    engine = FailingUpkeep()
    host = EngineHost(engine, lambda reason: None, check_s=0.01)  # type: ignore[arg-type]
    host.start(timeout_s=5)
    try:
        wait_for(lambda: engine.tries >= 3, timeout_s=5, what="three rounds of upkeep")
    finally:
        host.stop()
    said = [
        r for r in caplog.records if "looking after the scripted engine's workers failed" in r.getMessage()
    ]
    assert len(said) == 1 and said[0].levelname == "WARNING"
    assert "Too many open files" in said[0].getMessage()


def test_a_first_look_that_raises_leaves_the_engine_watched() -> None:
    # It ended the thread before its first check: the engine was never watched nor restarted.
    engine = ScriptedEngine(RuntimeError("first look raised"))
    host = EngineHost(engine, lambda reason: None, check_s=0.01)  # type: ignore[arg-type]
    host.start(timeout_s=5)
    try:
        wait_for(lambda: host.down is None, timeout_s=5, what="the next check to find the engine up")
        assert host.alive
    finally:
        host.stop()
