"""A SQLite job database given by a relative path is kept where it was first meant, as the data folder is."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.api.settings import ApiSettings
from reelgen.cli.serve import where_data
from reelgen.jobs.settings import JobSettings


@pytest.mark.parametrize(
    ("given", "meant"),
    [
        # It was opened from whatever folder the server started in: started from another, it made a
        # new empty queue, and the jobs of the first were nowhere to be seen.
        ("sqlite:///jobs/queue.db", "{cwd}/jobs/queue.db"),
        ("sqlite:///~/queue.db", "{home}/queue.db"),  # as a shell would expand it
        ("sqlite:////srv/queue.db", "/srv/queue.db"),
    ],
)
def test_a_relative_sqlite_path_is_made_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str, meant: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    jobs = JobSettings(database_url=given, data_dir=tmp_path / "data")
    path = meant.format(cwd=tmp_path, home=tmp_path / "home")
    assert f"(database sqlite:///{path});" in where_data(ApiSettings(jobs=jobs))


def test_other_databases_are_left_as_given() -> None:
    for url in ("postgresql://me:pw@db.example/jobs", "sqlite://", "sqlite:///:memory:"):
        assert JobSettings(database_url=url).resolved_database_url() == url
