"""One job service (one worker process) a test module shares: import ``module_family``, ``jobtest_family`` and
``shared`` into the module, and each of its tests that needs no settings or database of its own takes ``shared``.

Each test waits for its own jobs to end, so the next finds the queue empty and the worker idle. The jobtest
family is known for the whole module: a test's own ``jobtest_family`` teardown would otherwise unregister what
the shared service still runs.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from reelgen.jobs.service import JobService
from tests.jobs.conftest import family_known, start_service


@pytest.fixture(scope="module")
def module_family() -> Iterator[None]:
    with family_known():
        yield


@pytest.fixture
def jobtest_family(module_family: None) -> None:
    """Known for the whole module: the shared service runs it across tests."""


@pytest.fixture(scope="module")
def shared(module_family: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[JobService]:
    """The module's one service over a data folder of its own."""
    service = start_service(tmp_path_factory.mktemp("shared") / "jobs")
    yield service
    service.stop()
