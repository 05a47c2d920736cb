"""A new job database is built from ``schema.metadata`` and stamped head, not by replaying the
migrations; it must be the same schema the migrations build (what existing users' databases have)."""

from __future__ import annotations

import multiprocessing
import re
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from reelgen.jobs import db
from reelgen.jobs.store import JobStore


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", "reelgen.jobs:migrations")
    return config


HEAD = ScriptDirectory.from_config(_config()).get_current_head()


def _by_migrations(url: str) -> None:
    """The old way: Alembic replays every migration from an empty database."""
    engine = db.connect(url)
    try:
        with db.writer(engine).begin() as conn:
            config = _config()
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    finally:
        engine.dispose()


def _by_store(url: str) -> None:
    """The new way: opening a store on an empty database."""
    JobStore(url).close()


def _named(items: Sequence[Mapping[str, object]], *keys: str) -> list[tuple[Any, ...]]:
    return sorted(tuple(repr(item.get(k)) for k in keys) for item in items)


def _describe(url: str) -> dict[str, Any]:
    """Every table's columns (in order), primary key, indexes, unique, foreign key and check
    constraints as the database reports them, and the Alembic revision it is stamped with."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            out: dict[str, Any] = {}
            for table in sorted(inspector.get_table_names()):
                out[table] = {
                    "columns": [
                        (c["name"], str(c["type"]), c["nullable"], c["default"])
                        for c in inspector.get_columns(table)
                    ],
                    "primary key": inspector.get_pk_constraint(table),
                    "indexes": _named(inspector.get_indexes(table), "name", "column_names", "unique"),
                    "unique": _named(inspector.get_unique_constraints(table), "name", "column_names"),
                    "foreign keys": _named(
                        inspector.get_foreign_keys(table),
                        "name",
                        "constrained_columns",
                        "referred_table",
                        "referred_columns",
                        "options",
                    ),
                    "checks": _named(inspector.get_check_constraints(table), "name", "sqltext"),
                }
            out["revision"] = conn.execute(sa.text("SELECT version_num FROM reelgen_alembic_version")).all()
            return out
    finally:
        engine.dispose()


def _sqlite_sql(path: Path) -> list[tuple[str, str, str]]:
    """``sqlite_master`` with whitespace and quoting normalised (ALTER TABLE writes its own spacing)."""
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").all()
    finally:
        engine.dispose()
    return [
        (kind, name, re.sub(r"\s*([(),])\s*", r"\1", re.sub(r"\s+", " ", (sql or "").replace('"', ""))))
        for kind, name, sql in rows
    ]


@pytest.fixture
def postgres_urls() -> Iterator[Callable[[], str]]:
    """Makes PostgreSQL URLs, each on a fresh schema of its own, all dropped afterwards."""
    # Imported here: the spawned process of the last test imports this module, and needs no fixtures.
    from tests.jobs.conftest import POSTGRES

    admin = sa.create_engine(POSTGRES)
    made: list[str] = []

    def make() -> str:
        schema = f"reelgen_s58c_{uuid.uuid4().hex[:12]}"
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        made.append(schema)
        return f"{POSTGRES}?options=-csearch_path%3D{schema}"

    try:
        yield make
    finally:
        with admin.begin() as conn:
            for schema in made:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_a_new_sqlite_database_has_the_schema_the_migrations_build(tmp_path: Path) -> None:
    old, new = tmp_path / "migrated.db", tmp_path / "new.db"
    _by_migrations(f"sqlite:///{old}")
    _by_store(f"sqlite:///{new}")
    migrated = _describe(f"sqlite:///{old}")
    assert migrated["revision"] == [(HEAD,)]
    assert set(migrated) >= {"reelgen_jobs", "reelgen_job_events", "reelgen_webhooks", "reelgen_deleted"}
    assert _describe(f"sqlite:///{new}") == migrated
    assert _sqlite_sql(new) == _sqlite_sql(old)


def test_a_new_postgresql_database_has_the_schema_the_migrations_build(
    postgres_urls: Callable[[], str],
) -> None:
    old, new = postgres_urls(), postgres_urls()
    _by_migrations(old)
    _by_store(new)
    migrated = _describe(old)
    assert migrated["revision"] == [(HEAD,)]
    assert _describe(new) == migrated


def test_opening_a_new_or_current_database_replays_no_migration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the migrations were replayed")

    monkeypatch.setattr(command, "upgrade", refuse)
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    _by_store(url)  # new: tables from the schema, stamped head
    _by_store(url)  # at head: nothing to do
    assert _describe(url)["revision"] == [(HEAD,)]


def test_an_old_database_is_still_migrated(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    engine = db.connect(url)
    with db.writer(engine).begin() as conn:
        config = _config()
        config.attributes["connection"] = conn
        command.upgrade(config, "0003")
    engine.dispose()
    _by_store(url)
    fresh = tmp_path / "fresh.db"
    _by_store(f"sqlite:///{fresh}")
    assert _describe(url) == _describe(f"sqlite:///{fresh}")


def _open_at_once(url: str, barrier: Any) -> None:
    barrier.wait(timeout=60)
    JobStore(url).close()


def _open_in_threads(url: str, count: int) -> list[BaseException]:
    """Opens ``count`` stores on ``url`` at once, one a thread; what they raised."""
    barrier = threading.Barrier(count)
    failed: list[BaseException] = []

    def run() -> None:
        try:
            _open_at_once(url, barrier)
        except BaseException as exc:  # noqa: BLE001 - the test reports whatever a thread met
            failed.append(exc)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return failed


def test_threads_opening_one_new_file_at_once_all_succeed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    assert _open_in_threads(url, 4) == []
    fresh = tmp_path / "fresh.db"
    _by_store(f"sqlite:///{fresh}")
    assert _describe(url) == _describe(f"sqlite:///{fresh}")


def test_threads_opening_one_new_postgresql_schema_at_once_all_succeed(
    postgres_urls: Callable[[], str],
) -> None:
    url, fresh = postgres_urls(), postgres_urls()
    assert _open_in_threads(url, 4) == []
    _by_store(fresh)
    assert _describe(url) == _describe(fresh)


def test_processes_opening_one_new_file_at_once_all_succeed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    context = multiprocessing.get_context("spawn")
    # This process is the other one: one child spawned, not two (each spends a second importing).
    barrier = context.Barrier(2)
    child = context.Process(target=_open_at_once, args=(url, barrier))
    child.start()
    try:
        _open_at_once(url, barrier)
    finally:
        child.join(timeout=120)
    assert child.exitcode == 0
    fresh = tmp_path / "fresh.db"
    _by_store(f"sqlite:///{fresh}")
    assert _describe(url) == _describe(f"sqlite:///{fresh}")
