"""Why ``reelgen serve`` cannot use its data folder or its job database, naming the option to change."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reelgen.api.settings import ApiSettings
    from reelgen.jobs.settings import JobSettings


def data_dir_source(option: str | None, environ: Mapping[str, str] = os.environ) -> str | None:
    """What chose the data folder: ``--data-dir``, ``REELGEN_DATA_DIR`` (which fills that option),
    ``REELGEN_HOME`` (its ``jobs`` folder), or None for the platform's default.

    ``option`` is the value ``--data-dir`` got, from the command line or the variable."""
    if option is not None:
        return "REELGEN_DATA_DIR" if environ.get("REELGEN_DATA_DIR") == option else "--data-dir"
    return "REELGEN_HOME" if environ.get("REELGEN_HOME") else None


def _give(source: str | None) -> str:
    """What to give a folder to, for a data folder chosen by ``source`` (``data_dir_source``)."""
    if source == "REELGEN_HOME":  # the folder is $REELGEN_HOME/jobs: either setting moves it
        return "REELGEN_HOME (or --data-dir)"
    if source is None:
        return "--data-dir (or REELGEN_DATA_DIR)"
    return source


def unusable(exc: OSError, settings: ApiSettings, source: str | None = None) -> str:
    """Why the data folder, or a SQLite ``--database-url``'s, is unusable, naming the option at fault:
    the one the person set (``source``, from ``data_dir_source``), not a list they must pick from."""
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
        what, give = "the server's data", _give(source)
    return f"cannot use {path} for {what} ({why}); give {give} a folder you can write to"


def no_database(jobs: JobSettings, exc: Exception, source: str | None = None) -> str:
    """Which job database could not be opened (password hidden) and why, in one line, naming the
    option at fault: the default one is ``jobs.db`` in the data folder, which no ``--database-url``
    was given for, yet "file is not a database" there said to check --database-url."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    url = jobs.resolved_database_url()
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    if not jobs.database_url:
        database = Path(jobs.data_dir) / "jobs.db"
        # A read-only folder (a read-only mount, say) or a jobs.db not there yet was said as "jobs.db
        # ... is not a job database; move it away", naming a file that did not exist.
        if not os.access(jobs.data_dir, os.W_OK):
            return (
                f"cannot open the job database {database}: the data folder {jobs.data_dir} cannot be "
                f"written to ({reason}); give {_give(source)} a folder you can write to"
            )
        if not database.exists():
            return f"cannot make the job database {database} ({reason}); give {_give(source)} another folder"
        what = "a folder, not a SQLite file" if database.is_dir() else f"not a job database ({reason})"
        return (
            f"cannot open the job database: {database} in the data folder is {what}; move it away, or "
            f"give {_give(source)} another folder"
        )
    from reelgen.api.settings import without_password

    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except ArgumentError:  # "u:pw@host/db" with no scheme was said with its password
        shown = without_password(url)
    return (
        f"cannot open the job database {shown} ({reason}); check --database-url or "
        "REELGEN_DATABASE_URL (e.g. sqlite:////path/jobs.db or postgresql://user@host/db)"
    )
