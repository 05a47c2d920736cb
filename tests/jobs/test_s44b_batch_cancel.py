"""A server batch still planning its items: a cancel stops the planning, and other parents are not held up."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from reelgen.core.batch import Manifest
from reelgen.core.batch import plan as plan_module
from reelgen.core.batch.plan import PlannedItem
from reelgen.jobs import kinds
from reelgen.jobs.kinds.batch import BatchPayload
from reelgen.jobs.parents import DRIVER, ParentDriver
from reelgen.jobs.records import JobStatus
from reelgen.jobs.store import JobStore

ITEMS = 1000


def _queued_batch(store: JobStore, folder: Path, outputs: list[str], out: Path) -> str:
    """A batch of fake-tiny items named ``outputs``, queued for the driver as POST /v1/batches queues it."""
    kind = kinds.parent("batch")
    items = [{"output": output, "prompt": "a fox"} for output in outputs]
    manifest = Manifest.model_validate({"defaults": {"model": "fake-tiny"}, "items": items})
    payload = BatchPayload(manifest=manifest, input_folder=str(folder), output_folder=str(out))
    return store.create(kind.name, kind.dump(payload), kind.facts(payload), start_as=DRIVER).id


def test_cancel_stops_a_big_batch_between_items_while_it_plans(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = JobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    driver = ParentDriver(store, cancel_job=store.cancel, wake=lambda: None)
    kind = kinds.parent("batch")
    parent = store.get(_queued_batch(store, tmp_path, [f"clip{i}" for i in range(ITEMS)], tmp_path / "out"))

    planning, stopped = threading.Event(), threading.Event()
    planned: list[int] = []
    real_stop = kind.stop

    def slow_item(manifest: Manifest, index: int, base: Path, out: Path, *args: Any) -> PlannedItem:
        """Each item waits (a keyframe being scored) until the cancel has reached the kind."""
        planned.append(index)
        planning.set()
        stopped.wait(timeout=5)
        name = manifest.items[index].stem
        return PlannedItem(index=index, output=name, video=str(out / f"{name}.mp4"), skipped="not viable")

    def stop(parent_id: str, reason: str = "cancelled") -> None:
        real_stop(parent_id, reason)
        stopped.set()

    monkeypatch.setattr(plan_module, "plan_item", slow_item)
    monkeypatch.setattr(kind, "stop", stop)
    try:
        creating = threading.Thread(target=driver.advance, args=(parent.id,))
        creating.start()  # as POST /v1/batches does: its first advance plans every item
        assert planning.wait(timeout=5)
        ended = driver.cancel(store.cancel(parent.id))
        creating.join(timeout=5)
        assert not creating.is_alive()
    finally:
        stopped.set()
        store.close()
    assert ended is not None and ended.status is JobStatus.CANCELLED, ended and ended.error
    assert len(planned) <= 2, f"planning went on after the cancel: {len(planned)} of {ITEMS} items checked"


def test_a_batch_planning_for_long_does_not_hold_up_another_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = JobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    driver = ParentDriver(store, cancel_job=store.cancel, wake=lambda: None)

    def batch(output: str) -> str:
        # Each its own folder: two batches into one are refused (folder_in_use), as in process.
        return _queued_batch(store, tmp_path, [output], tmp_path / output)

    planning, release = threading.Event(), threading.Event()

    def item(manifest: Manifest, index: int, base: Path, out: Path, *args: Any) -> PlannedItem:
        name = manifest.items[index].stem
        if name == "big":  # the big batch's keyframes take minutes to score
            planning.set()
            release.wait(timeout=5)
        return PlannedItem(index=index, output=name, video=str(out / f"{name}.mp4"), skipped="not viable")

    monkeypatch.setattr(plan_module, "plan_item", item)
    big, small = batch("big"), batch("small")
    slow = threading.Thread(target=driver.advance, args=(big,))
    try:
        slow.start()
        assert planning.wait(timeout=5)
        ended: list[Any] = []
        other = threading.Thread(target=lambda: ended.append(driver.advance(small)))
        other.start()  # while the big one still plans
        other.join(timeout=3)
        assert not other.is_alive(), "the small batch waited for the big one's planning"
        assert ended[0] is not None and ended[0].status is JobStatus.COMPLETED, ended[0] and ended[0].error
    finally:
        release.set()
        slow.join(timeout=5)
        store.close()
