"""What ``reelgen serve`` lets through of uvicorn's log: no traceback for a stream cut off by stopping, one line for a failed start."""

from __future__ import annotations

import asyncio
import logging
import os
import re

from reelgen.cli.output import say_error
from reelgen.core import errors


def quiet_stream_cancels(record: logging.LogRecord) -> bool:
    """Drop the traceback of an event stream that stopping cut off, keeping every other record.

    An open event stream (a `reelgen watch`, the web page) lasts until its job ends; on Ctrl-C
    uvicorn gives it ``timeout_graceful_shutdown`` seconds, then cancels it and logged that as
    "Exception in ASGI application" with a 40-line traceback, as if something had failed.
    """
    cut_off = record.exc_info is not None and record.exc_info[0] is asyncio.CancelledError
    return not cut_off


#: The line a Python traceback names its exception on: a dotted name at the left edge, then its message.
_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(: |$)")


def startup_failure_in_one_line(record: logging.LogRecord) -> bool:
    """Say a job service that failed to start (Ray's "Version mismatch", say) in one ``error:`` line.

    Starlette hands uvicorn the failed start as a formatted traceback, which uvicorn logged whole,
    then "Application startup failed. Exiting."; ``REELGEN_TRACEBACK=1`` keeps the traceback.
    """
    text = record.getMessage()
    if text == "Application startup failed. Exiting.":
        return False
    if not text.startswith("Traceback (most recent call last):") or os.environ.get("REELGEN_TRACEBACK"):
        return True
    # The exception's own lines end the traceback: "reelgen.core.errors.InvalidRequest: the head ...",
    # its message running on over the lines after (the frames before are indented).
    lines = text.splitlines()
    start = max((i for i, line in enumerate(lines) if _EXCEPTION_LINE.match(line)), default=len(lines) - 1)
    kind, _, message = "\n".join(lines[start:]).partition(": ")
    message = " ".join(message.split())
    name = kind.rsplit(".", 1)[-1]
    if kind.startswith("reelgen.") and isinstance(getattr(errors, name, None), type):
        said = message
    else:  # worded as the CLI words any failure it did not foresee
        said = (
            f"internal error ({name}: {message or 'no message'}); run again with REELGEN_TRACEBACK=1 "
            "to see where, and report it"
        )
    say_error(f"the server could not start its job service: {said}")
    return False
