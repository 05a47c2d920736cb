"""Choosing a worker: a job goes where it fits, prefers a worker holding its model, fails if it never fits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reelgen.core.spec import registry
from reelgen.core.spec.family import FamilySpec, Preset
from reelgen.core.spec.request import Task
from reelgen.core.spec.rules import SizeRules
from reelgen.jobs import kinds
from reelgen.jobs.artifacts import Artifacts
from reelgen.jobs.dispatcher import Dispatcher
from reelgen.jobs.engine import WorkerSlot
from reelgen.jobs.local import LocalEngine
from reelgen.jobs.placement import NeverFits, Placing, choose
from reelgen.jobs.records import Facts, Job, JobStatus
from reelgen.jobs.settings import JobSettings
from reelgen.jobs.store import JobStore
from tests.jobs.fakes import SPEC
from tests.jobs.helpers import create, request

BIG = Preset(
    name="big-test",
    family="bigtest",
    description="a 60 GiB model",
    repo_id=None,
    tasks=frozenset({Task.T2V}),
    width=32,
    height=32,
    num_frames=5,
    fps=8.0,
    steps=2,
    guidance=1.0,
    parts_gib={"transformer": 60.0},
    dtype="bfloat16",
)


BIG_SPEC = FamilySpec(
    family="bigtest",
    label="Big test",
    presets=(BIG,),
    rules=SizeRules(label="Big test", multiple=16),
    runner=SPEC.runner,
    tiny_builder=SPEC.tiny_builder,
)


@pytest.fixture(autouse=True)
def big_family() -> Iterator[None]:
    registry.register(BIG_SPEC)
    yield
    registry.unregister("bigtest")


def gpu(name: str, total: float, free: float | None = None, models: tuple[str, ...] = ()) -> WorkerSlot:
    info = {
        "total_vram_gib": total,
        "free_vram_gib": total if free is None else free,
        "loaded_models": list(models),
        "device": "cuda:0",
    }
    return WorkerSlot(name, actor=None, gpus=1, info=info, alive=True)


def big_job(store: JobStore) -> Placing:
    job: Job = create(store, request(model="big-test"))
    render = kinds.worker(kinds.RENDER)
    return Placing(job, render, render.parse(job.payload))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[JobStore]:
    store = JobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    yield store
    store.close()


def test_a_worker_holding_the_model_is_preferred_over_more_free_memory(store: JobStore) -> None:
    job = big_job(store)
    empty, holder = gpu("empty", 24.0, free=23.0), gpu("holder", 24.0, free=4.0, models=("big-test",))
    assert choose(job, [empty, holder], [empty, holder]) is holder


def test_without_the_model_the_worker_with_most_free_memory_wins(store: JobStore) -> None:
    job = big_job(store)
    busy_card, free_card = gpu("a", 24.0, free=6.0), gpu("b", 24.0, free=20.0)
    assert choose(job, [busy_card, free_card], [busy_card, free_card]) is free_card


def test_a_job_waits_for_a_busy_worker_that_fits_rather_than_a_small_idle_one(store: JobStore) -> None:
    job = big_job(store)
    small, large = gpu("small", 2.0), gpu("large", 24.0)
    assert choose(job, [small], [small, large]) is None


def test_cpu_workers_take_anything(store: JobStore) -> None:
    cpu = WorkerSlot("cpu", actor=None, gpus=0, info={"total_vram_gib": None}, alive=True)
    assert choose(big_job(store), [cpu], [cpu]) is cpu


def test_a_job_that_can_never_fit_fails_with_a_clear_error(store: JobStore, tmp_path: Path) -> None:
    job = big_job(store)
    small = [gpu("a", 2.0), gpu("b", 1.5)]
    with pytest.raises(NeverFits, match=r"largest GPU here has 2\.0 GiB"):
        choose(job, small, small)
    settings = JobSettings(data_dir=tmp_path)
    engine = LocalEngine(settings)  # never started: its slots are the two small GPUs
    engine.slots.extend(small)
    dispatcher = Dispatcher(store, Artifacts(tmp_path), engine, settings)
    assert dispatcher._dispatch_one()  # handled: not left in the queue to loop on
    failed = store.get(job.job.id)
    assert failed.status is JobStatus.FAILED and failed.error_code == "insufficient_vram"
    assert "big-test at 32x32 x 5 frames needs about" in (failed.error_message or "")
    assert not dispatcher._dispatch_one()  # nothing left to do


def test_a_job_of_a_kind_no_longer_installed_fails_instead_of_blocking_the_queue(
    store: JobStore, tmp_path: Path
) -> None:
    orphan = store.create("retired-kind", {"x": 1}, Facts(model="gone"), priority=5)
    waiting = big_job(store)
    settings = JobSettings(data_dir=tmp_path)
    dispatcher = Dispatcher(store, Artifacts(tmp_path), LocalEngine(settings), settings)
    assert dispatcher._dispatch_one()
    failed = store.get(orphan.id)
    assert failed.status is JobStatus.FAILED and failed.error_code == "unknown_kind"
    assert "no job kind 'retired-kind'" in (failed.error_message or "")
    assert store.next_queued() == store.get(waiting.job.id)  # the queue moves on
