"""The Ray engine's connection: only reelgen starts a Ray, never a Ray call made while none is up."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from reelgen.jobs.cluster import RayEngine, init_ray
from reelgen.jobs.engine import WorkerSlot
from reelgen.jobs.settings import JobSettings


def test_a_ray_call_after_the_engines_ray_is_gone_fails_instead_of_starting_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A job thread that asks its worker between the engine's stop and its restart once started a
    # default Ray (listening beyond loopback, tied to that thread), whose orphaned GCS client then
    # ended the API process a minute later. Stand-ins record every start; no Ray runs here.
    import ray
    from ray._private import auto_init_hook

    started: list[str | None] = []
    monkeypatch.setattr(auto_init_hook, "enable_auto_connect", True)  # Ray's default
    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    monkeypatch.setattr(ray, "init", lambda address=None, **_: started.append(address))
    init_ray(JobSettings(data_dir=tmp_path, ray_address="127.0.0.1:6380"))
    assert started == ["127.0.0.1:6380"]
    # The engine's Ray is down now (is_initialized says so): the calls a job thread makes.
    for call in (lambda: ray.wait([], timeout=0), lambda: ray.get([]), lambda: ray.put(1)):
        with contextlib.suppress(Exception):
            call()
    assert started == ["127.0.0.1:6380"], "a Ray call started a Ray of its own"
    # The watchdog stopping a worker meanwhile finds nothing to stop, and says nothing of it.
    assert not ray._private.worker.global_worker.connected
    slot = WorkerSlot("worker-0", actor=object(), gpus=0, alive=True)
    RayEngine(JobSettings(data_dir=tmp_path)).kill(slot)
    assert not slot.alive and started == ["127.0.0.1:6380"]
