"""Opens the job database (SQLite in WAL mode or PostgreSQL) and brings it to Alembic head."""

from __future__ import annotations

import functools
import sqlite3
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from reelgen.jobs.schema import metadata
from reelgen.jobs.settings import default_data_dir

#: Alembic's version table of the job store (``migrations/env.py`` names the same).
VERSION_TABLE = "reelgen_alembic_version"
#: Key of the PostgreSQL advisory lock that serialises concurrent migrations.
_MIGRATION_LOCK = 0x7265656C  # "reel"
#: Connections per engine: the web server runs up to 40 request threads, plus the dispatcher's;
#: a thread waiting for a pooled connection is latency no query caused.
POOL = {"pool_size": 16, "max_overflow": 48}
#: Seconds a SQLite statement waits for a database another connection holds (its busy timeout).
BUSY_S = 30.0


#: PostgreSQL's SQLSTATE for "disk_full" (class 53, insufficient resources).
_PG_DISK_FULL = "53100"


def out_of_space(exc: sa.exc.DBAPIError) -> bool:
    """Whether the database said it has no room left: SQLite's SQLITE_FULL ("database or disk is
    full", extended codes included) or PostgreSQL's ``disk_full``."""
    orig = exc.orig
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF == sqlite3.SQLITE_FULL
    return _PG_DISK_FULL in (getattr(orig, "sqlstate", None), getattr(orig, "pgcode", None))


def default_url() -> str:
    """A SQLite file in the jobs' data directory, used when no URL is given."""
    return f"sqlite:///{default_data_dir() / 'jobs.db'}"


def _engine(url: sa.URL, **options: Any) -> sa.Engine:
    """``sa.create_engine``, with a database the store has no SQL for, or a driver not installed,
    said as SQLAlchemy's ``ArgumentError`` (a mysql:// URL was "No module named 'MySQLdb'", exit 1)."""
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise sa.exc.ArgumentError(f"the job store runs on SQLite or PostgreSQL, not {backend}")
    try:
        return sa.create_engine(url, **options)
    except ImportError as exc:
        raise sa.exc.ArgumentError(
            f"its driver {url.get_driver_name()} is not installed; postgresql:// uses psycopg, "
            "which comes with reelgen"
        ) from exc


def connect(url: str) -> sa.Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout and ``BEGIN IMMEDIATE`` for writers.

    Writers run on ``engine.execution_options(reelgen_write=True)``: on SQLite
    their transactions take the write lock up front, so two writers never
    deadlock upgrading read locks. Readers use plain deferred transactions,
    which WAL lets run beside a writer.
    """
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return _engine(parsed, pool_pre_ping=True, future=True, **POOL)
    database = parsed.database
    if database and database != ":memory:":
        # Made for its owner alone, as the data folder is: the database holds every prompt, webhook
        # URL and metadata, and a --database-url folder made with the umask let any account read them.
        # A folder already there keeps its mode.
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    engine = _engine(parsed, connect_args={"timeout": BUSY_S, "check_same_thread": False}, **POOL)

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" hook below issue BEGIN, not the sqlite3 module.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        _to_wal(cursor)
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_S * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # A job must survive a power cut once create() returned.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        options = conn.get_execution_options()
        write, busy_ms = options.get("reelgen_write", False), options.get("reelgen_busy_ms")
        if busy_ms is None:
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
            return
        # What is left of the write's wait after this process's other writers (_sql.StoreCore._writer_turn).
        conn.exec_driver_sql(f"PRAGMA busy_timeout={int(busy_ms)}")
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
        finally:
            conn.exec_driver_sql(f"PRAGMA busy_timeout={int(BUSY_S * 1000)}")

    return engine


def _to_wal(cursor: Any, wait_s: float = 30.0) -> None:
    """Switch the database to WAL, waiting as the busy timeout waits.

    The switch needs the database to itself, and SQLite answers "database is locked" at once, not after
    the busy timeout, while another connection holds it: of 4 threads (or processes) opening one new
    file at once, one failed about one time in four.
    """
    deadline = time.monotonic() + wait_s
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def writer(engine: sa.Engine) -> sa.Engine:
    """The engine view whose transactions take SQLite's write lock at BEGIN."""
    return engine.execution_options(reelgen_write=True)


def _config() -> Config:
    """The Alembic configuration of the package's migrations."""
    config = Config()
    config.set_main_option("script_location", "reelgen.jobs:migrations")
    return config


@functools.cache
def _scripts() -> ScriptDirectory:
    """The migration scripts, read once per process (they are part of the installed package)."""
    return ScriptDirectory.from_config(_config())


def upgrade(engine: sa.Engine) -> None:
    """Bring the database to Alembic head, once even if several processes start.

    A new database (no job tables, no version table) gets the tables of ``schema.metadata`` and
    is stamped head, as Alembic's "Building an Up to Date Database from Scratch" says: replaying
    every migration cost ~50 ms of CPU per new store. One already at head is left as it is, without
    running Alembic's environment; one at an older revision is migrated by Alembic. All under the
    writer's lock (SQLite's BEGIN IMMEDIATE, a PostgreSQL advisory lock), so processes starting on
    one new database agree on one schema.
    """
    with writer(engine).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        migration = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        current = set(migration.get_current_heads())
        scripts = _scripts()
        if current == set(scripts.get_heads()):
            return
        if not current and not set(sa.inspect(conn).get_table_names()) & set(metadata.tables):
            metadata.create_all(conn, checkfirst=False)
            migration.stamp(scripts, "head")
            return
        config = _config()
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
