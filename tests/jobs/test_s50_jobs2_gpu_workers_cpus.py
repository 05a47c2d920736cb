"""A private Ray of fewer CPUs (REELGEN_RAY_NUM_CPUS) than GPUs starts a worker on every GPU.

Each GPU worker asked Ray for one CPU as well, so with REELGEN_RAY_NUM_CPUS=1 on a two-GPU
machine the second worker never started, shown down for ever with nothing said.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
import ray

from reelgen.jobs.cluster import RayEngine
from reelgen.jobs.settings import JobSettings


class Scheduler:
    """Ray's rule for placing an actor, and nothing else: it starts once its ask fits what is free,
    and waits (its calls never answer) until then. A real Ray with faked GPUs costs seconds of CPU."""

    def __init__(self, cpus: int, gpus: int) -> None:
        self.total = {"CPU": float(cpus), "GPU": float(gpus)}
        self.free = dict(self.total)
        self.pids = itertools.count(100)

    def cluster_resources(self) -> dict[str, float]:
        return dict(self.total)

    def remote(self, cls: type) -> Any:
        scheduler = self

        class Options:
            def options(self, *, num_gpus: float = 0, num_cpus: float = 1, **_: Any) -> Any:
                ask = {"CPU": float(num_cpus), "GPU": float(num_gpus)}

                class Made:
                    def remote(self, *_: Any) -> Actor:
                        return Actor(scheduler.place(ask), next(scheduler.pids))

                return Made()

        return Options()

    def place(self, ask: dict[str, float]) -> bool:
        if any(ask[name] > self.free[name] for name in ask):
            return False
        for name in ask:
            self.free[name] -= ask[name]
        return True

    def wait(self, refs: list[Reply], timeout: float = 0) -> tuple[list[Reply], list[Reply]]:
        return [r for r in refs if r.started], [r for r in refs if not r.started]

    def get(self, ref: Reply) -> dict[str, Any]:
        return {"pid": ref.pid}


class Reply:
    def __init__(self, started: bool, pid: int) -> None:
        self.started, self.pid = started, pid


class Actor:
    def __init__(self, started: bool, pid: int) -> None:
        self.info = self
        self.started, self.pid = started, pid

    def remote(self) -> Reply:  # ``actor.info.remote()``
        return Reply(self.started, self.pid)


def test_every_gpu_gets_a_worker_with_fewer_ray_cpus_than_gpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scheduler = Scheduler(cpus=1, gpus=2)  # REELGEN_RAY_NUM_CPUS=1 on a two-GPU machine
    for name in ("cluster_resources", "remote", "wait", "get"):
        monkeypatch.setattr(ray, name, getattr(scheduler, name))
    settings = JobSettings(engine="ray", ray_num_cpus=1, data_dir=tmp_path)
    engine = RayEngine(settings)
    engine.maintain()  # what start() does once Ray is up: one worker per GPU, then asks each how it is
    workers = engine.snapshot()
    assert [(w.id, w.gpus) for w in workers] == [("worker-0", 1), ("worker-1", 1)]
    assert [(w.id, w.alive) for w in workers] == [("worker-0", True), ("worker-1", True)]
