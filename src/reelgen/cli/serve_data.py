"""Why ``reelgen serve`` cannot use its data folder or its job database, naming the option to change."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reelgen.api.settings import ApiSettings
    from reelgen.jobs.settings import JobSettings


def unusable(exc: OSError, settings: ApiSettings) -> str:
    """Why the data folder, or a SQLite ``--database-url``'s, is unusable, naming the option at fault."""
    from sqlalchemy.engine import make_url

    data_dir = Path(settings.jobs.data_dir)
    path = Path(exc.filename or data_dir)
    why = exc.strerror or str(exc)
    blocker = next((p for p in (path, *path.parents) if p.exists()), None)
    if blocker is not None and not blocker.is_dir():  # mkdir said "File exists" or "Not a directory"
        path, why = blocker, "a file is there, not a folder"
    url = make_url(settings.jobs.resolved_database_url())
    database = Path(url.database or "").expanduser() if url.get_backend_name() == "sqlite" else None
    if database is not None and path not in (data_dir, *data_dir.parents) and path in database.parents:
        what, give = "the job database", "--database-url (or REELGEN_DATABASE_URL) a SQLite file in"
    else:
        what, give = "the server's data", "--data-dir (or REELGEN_HOME)"
    return f"cannot use {path} for {what} ({why}); give {give} a folder you can write to"


def no_database(jobs: JobSettings, exc: Exception) -> str:
    """Which job database could not be opened (password hidden) and why, in one line, naming the
    option at fault: the default one is ``jobs.db`` in the data folder, which no ``--database-url``
    was given for, yet "file is not a database" there said to check --database-url."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    url = jobs.resolved_database_url()
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    if not jobs.database_url:
        database = Path(jobs.data_dir) / "jobs.db"
        what = "a folder, not a SQLite file" if database.is_dir() else f"not a job database ({reason})"
        return (
            f"cannot open the job database: {database} in the data folder is {what}; move it away, or "
            "give --data-dir (or REELGEN_DATA_DIR, REELGEN_HOME) another folder"
        )
    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        shown = url
    return (
        f"cannot open the job database {shown} ({reason}); check --database-url or "
        "REELGEN_DATABASE_URL (e.g. sqlite:////path/jobs.db or postgresql://user@host/db)"
    )
