"""Puts back a SQLite job database deleted while the server runs, from the copy the server still holds open.

Deleted (``rm -rf`` of the data folder, a cleanup script), the file lived on unseen: SQLite
wrote every job into the unlinked file, the server answered as if nothing had happened,
and the next start found an empty queue: every job, finished or queued, was gone.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

if TYPE_CHECKING:
    from reelgen.jobs._sql import StoreCore

log = logging.getLogger(__name__)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _holds_jobs(path: Path) -> bool:
    """Whether the file at ``path`` is a job database (not the empty one a new connection made there)."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=rw", uri=True)) as conn:
            found = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='reelgen_jobs'"
            ).fetchone()
    except sqlite3.Error:
        return False
    return found is not None


class DatabaseFile:
    """Watches the store's SQLite file; ``check()`` (each dispatcher pass) writes it back if it went."""

    def __init__(self, store: StoreCore) -> None:
        self.store = store
        url = sa.make_url(store.url)
        name = url.database if url.get_backend_name() == "sqlite" else None
        self.path = Path(name).expanduser().absolute() if name and name != ":memory:" else None
        self._keeper: sqlite3.Connection | None = None
        self._identity: tuple[int, int] | None = None
        self._said: str | None = None

    def start(self) -> None:
        """Hold the file open from now on (``close()`` lets go)."""
        if self.path is not None and self._keeper is None:
            self._open()

    def _open(self) -> None:
        assert self.path is not None
        # Held open so the file's content can still be read once its name is gone.
        self._keeper = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        # A first read maps its -shm and opens its -wal, which it then keeps: a connection that first read
        # once they were deleted made new, empty ones, and read the database as "disk I/O error".
        self._keeper.execute("SELECT count(*) FROM sqlite_master").fetchone()
        self._identity = _identity(self.path)

    def close(self) -> None:
        if self._keeper is not None:
            self._keeper.close()
            self._keeper = None

    def check(self) -> None:
        """Write the database back under its name if it was deleted; say once if another file took its place."""
        if self.path is None or self._keeper is None or _identity(self.path) == self._identity:
            return
        if self.path.exists() and _holds_jobs(self.path):
            said = (
                f"the job database {self.path} was replaced by another file while the server ran; this "
                "server goes on with the one it opened (what it writes now is lost): restart it to use the new one"
            )
            if said != self._said:
                log.error("%s", said)
            self._said = said
            return
        self._restore(self.path, self._keeper)

    def _restore(self, path: Path, keeper: sqlite3.Connection) -> None:
        # Under the store's write lock: no job of this process is written between the copy and the switch.
        with self.store._write_lock:
            try:
                path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                copy = path.with_name(f".{path.name}.restoring")
                copy.unlink(missing_ok=True)
                keeper.execute("VACUUM INTO ?", (str(copy),))
                os.replace(copy, path)  # over any empty file a new connection made under the name meanwhile
            except (OSError, sqlite3.Error) as exc:
                said = f"the job database {path} was deleted while the server ran and could not be written back ({exc})"
                if said != self._said:
                    log.error("%s; every job written from now on is lost when the server stops", said)
                self._said = said
                return
            # Connections still on the deleted file close; new ones open the file written back.
            self.store.engine.dispose()
            keeper.close()
            self._open()
        self._said = None
        jobs = self._count()
        kept = f"{jobs} job" if jobs == 1 else f"{jobs} jobs"
        log.error(
            "the job database %s was deleted while the server ran; it was written back from the open copy "
            "(%s kept). Outputs and uploads deleted with it are gone: their jobs answer that their files "
            "were deleted outside reelgen",
            path,
            kept,
        )

    def _count(self) -> int | str:
        assert self._keeper is not None
        try:
            return int(self._keeper.execute("SELECT count(*) FROM reelgen_jobs").fetchone()[0])
        except sqlite3.Error:
            return "all"
