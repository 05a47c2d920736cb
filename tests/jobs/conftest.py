"""Job-layer fixtures: one store per test on SQLite and PostgreSQL (a private schema each); services on Ray."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from reelgen.core.spec import registry
from reelgen.jobs import kinds
from reelgen.jobs.cluster import init_ray, shutdown_ray
from reelgen.jobs.service import JobService
from reelgen.jobs.settings import JobSettings
from reelgen.jobs.store import JobStore
from reelgen.jobs.worker import VideoWorker
from tests.jobs import fakes

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    schema = f"reelgen_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{POSTGRES}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'jobs.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def make_store(store_url: str) -> Iterator[Callable[..., JobStore]]:
    """Opens stores on this test's database; several may share it (a restart, a second process)."""
    opened: list[JobStore] = []

    def make(**kwargs: object) -> JobStore:
        store = JobStore(store_url, **kwargs)  # type: ignore[arg-type]
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def store(make_store: Callable[..., JobStore]) -> JobStore:
    return make_store()


@pytest.fixture(scope="session")
def ray_cluster(reelgen_home: Path) -> Iterator[None]:
    """One private Ray for the session; workers inherit this reelgen home and get the test family."""
    import ray.cloudpickle

    ray.cloudpickle.register_pickle_by_value(fakes)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REELGEN_HOME", str(reelgen_home))
        temp = init_ray(JobSettings(ray_num_cpus=2, ray_object_store_bytes=128 * 1024**2))
        yield
        shutdown_ray(temp)


@contextmanager
def family_known() -> Iterator[None]:
    """The jobtest family and the fan-out parent kind, known in this process while it lasts."""
    registry.register(fakes.SPEC)
    kinds.register(fakes.FanOut())
    try:
        yield
    finally:
        kinds.unregister("fanout")
        registry.unregister("jobtest")


@pytest.fixture
def jobtest_family() -> Iterator[None]:
    """The jobtest family and the fan-out parent kind, known in this process.

    A module that shares one service between its tests overrides this with a module-scoped one
    (``family_known``), so no test's teardown unregisters what the shared service still runs."""
    with family_known():
        yield


def start_service(data_dir: Path, engine: str = "local", **overrides: object) -> JobService:
    """A started job service with one CPU worker that knows the jobtest family (the caller stops it)."""
    fields: dict[str, object] = dict(
        engine=engine,
        data_dir=data_dir,
        cpu_workers=1,
        preview_every=1,
        heartbeat_timeout_s=60.0,
        cancel_grace_s=20.0,
        max_attempts=2,
    )
    fields.update(overrides)
    service = JobService(JobSettings(**fields), worker_setup=fakes.register_in_worker)  # type: ignore[arg-type]
    service.start()
    return service


@pytest.fixture
def make_service(
    request: pytest.FixtureRequest, jobtest_family: None, tmp_path: Path
) -> Iterator[Callable[..., JobService]]:
    """Starts job services with one CPU worker (``engine="ray"``: on the session's private Ray);
    all are stopped after the test."""
    services: list[JobService] = []

    def make(engine: str = "local", **overrides: object) -> JobService:
        if engine == "ray":
            request.getfixturevalue("ray_cluster")
        service = start_service(tmp_path / "jobs", engine, **overrides)
        services.append(service)
        return service

    yield make
    for service in services:
        service.stop()


@pytest.fixture
def worker(jobtest_family: None, tmp_path: Path) -> VideoWorker:
    """A worker actor's side in this process, with the jobtest family registered in it."""
    return VideoWorker("worker-test", setup=fakes.register_in_worker, scratch=str(tmp_path / "scratch"))
