"""What ``reelgen serve`` lets through of uvicorn's log, and how it says a job service that did not start."""

from __future__ import annotations

import asyncio
import logging
import os

from reelgen.core import errors


def quiet_stream_cancels(record: logging.LogRecord) -> bool:
    """Drop the traceback of an event stream that stopping cut off, keeping every other record.

    An open event stream (a `reelgen watch`, the web page) lasts until its job ends; on Ctrl-C
    uvicorn gives it ``timeout_graceful_shutdown`` seconds, then cancels it and logged that as
    "Exception in ASGI application" with a 40-line traceback, as if something had failed.
    """
    cut_off = record.exc_info is not None and record.exc_info[0] is asyncio.CancelledError
    return not cut_off


#: uvicorn's words when requests are still open once ``timeout_graceful_shutdown`` has passed.
_CUT_OFF = "Cancel %s running task(s), timeout graceful shutdown exceeded"


def streams_closed_as_info(record: logging.LogRecord) -> bool:
    """Say as news, not as an error, the requests a stop closed: every Ctrl-C with a `reelgen watch`
    or the web page open printed "ERROR: Cancel 2 running task(s), timeout graceful shutdown
    exceeded", though an event stream only ends with its job, and its client reconnects."""
    if record.msg == _CUT_OFF:
        record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
        record.msg = (
            "closed %s request(s) still open (event streams such as `reelgen watch` or the web page's "
            "last until their job ends; those clients reconnect when the server is back)"
        )
        return logging.getLogger(record.name).isEnabledFor(logging.INFO)  # --log-level warning: not shown
    return True


def startup_failure_in_one_line(record: logging.LogRecord) -> bool:
    """Drop uvicorn's records of a job service that failed to start: the whole traceback, then
    "Application startup failed. Exiting.". ``serve`` says the failure in one line instead (``said_failure``);
    ``REELGEN_TRACEBACK=1`` keeps the traceback for a report."""
    text = record.getMessage()
    if os.environ.get("REELGEN_TRACEBACK"):
        return True
    return not (
        text == "Application startup failed. Exiting."
        or text.startswith("Traceback (most recent call last):")
    )


def said_failure(exc: BaseException | None) -> str:
    """A job service's failure to start (Ray's "Version mismatch", say), as one ``error:`` line says it."""
    if isinstance(exc, errors.ReelgenError):
        said = exc.message
    else:  # worded as the CLI words any failure it did not foresee
        kind = type(exc).__name__ if exc is not None else "no exception kept"
        said = (
            f"internal error ({kind}: {' '.join(str(exc or '').split()) or 'no message'}); run again with "
            "REELGEN_TRACEBACK=1 to see where, and report it"
        )
    return f"the server could not start its job service: {said}"
