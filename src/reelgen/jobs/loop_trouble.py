"""How a background loop says its pass failed: a database it cannot reach or that is full once, in one line,
until a pass works again; anything else with its traceback.

A PostgreSQL server stopped for half a minute wrote 8,000 lines to the server's log: a full
traceback every second from each of the dispatcher, lease and webhook loops.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa

from reelgen.core.errors import WriteFailed


def database_words(exc: BaseException) -> str | None:
    """One line for a database that cannot be reached or written, or None for any other error (the API's
    handler of unexpected errors asks it too)."""
    if isinstance(exc, WriteFailed):
        return exc.message
    if isinstance(exc, sa.exc.DBAPIError) and (
        isinstance(exc, sa.exc.OperationalError) or exc.connection_invalidated
    ):
        said = str(exc.orig).strip().splitlines()
        return f"the job database cannot be reached or refused the work ({said[0] if said else type(exc.orig).__name__})"
    return None


class Trouble:
    """One loop's failures; ``failed(exc)`` in its ``except``, ``passed()`` after each pass that worked."""

    def __init__(self, log: logging.Logger, what: str) -> None:
        self.log = log
        self.what = what
        self._said: str | None = None

    def failed(self, exc: BaseException) -> None:
        words = database_words(exc)
        if words is None:
            self.log.exception("%s failed; retrying", self.what)
            return
        if words != self._said:
            self.log.error(
                "%s failed: %s; retrying every second, said again only if this changes", self.what, words
            )
        self._said = words

    @property
    def database(self) -> str | None:
        """Why the job database took no work at the last pass (unreachable or full), or None."""
        if self._said is None:
            return None
        # Without what the driver said: /readyz answers anyone, and that names the database's host and user.
        if self._said.startswith("the job database has no room left"):
            return "the job database has no room left; free some space on the server"
        return "the job database cannot be reached; the server tries again every second (its log says why)"

    def passed(self) -> None:
        if self._said is not None:
            self.log.warning("%s works again", self.what)
        self._said = None
