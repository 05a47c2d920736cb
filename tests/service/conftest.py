"""Service-test fixtures: a job database on SQLite or PostgreSQL for the kill tests, and a store to count with."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reelgen.jobs.store import JobStore
from tests.jobs.conftest import postgres_url  # noqa: F401  (fixture)

# The soak's checks live in a helper shared by two test files; rewritten, a failed one says its values.
pytest.register_assert_rewrite("tests.service.soak")


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'server' / 'jobs.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def store(database: str) -> Iterator[JobStore]:
    (Path(database.removeprefix("sqlite:///")).parent if database.startswith("sqlite") else Path(".")).mkdir(
        parents=True, exist_ok=True
    )
    opened = JobStore(database)
    yield opened
    opened.close()
