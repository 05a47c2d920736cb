"""A kill (SIGTERM) stops a command by unwinding it, so the hidden files it was writing are removed."""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: The exit status of a command stopped by SIGTERM: 128 + 15, what a shell reports for a killed one.
TERMINATED = 128 + signal.SIGTERM


class Terminated(BaseException):
    """SIGTERM arrived: raised in the main thread, so every ``finally:`` on the way runs.

    Not an Exception, as KeyboardInterrupt is not: no ``except Exception`` takes it for a failure to
    report, and not a KeyboardInterrupt, which Click turns into "stopped (no more input)".
    """


#: What a kill says when the command has no more of its own to say of what it kept.
SIGTERM_SAID = "stopped by SIGTERM; nothing half-written was left"


def stopped_by_sigterm(said: str = SIGTERM_SAID) -> SystemExit:
    """The exit (143) of a command a kill stopped, once ``said`` is printed in one line.

    A command that says what was kept when Ctrl-C stops it (a batch: the items finished) catches
    ``Terminated`` and says the same with this; else a kill is said with the default words alone.
    """
    sys.stderr.write(f"error: {said}\n")
    return SystemExit(TERMINATED)


def _raise_terminated(signum: int, frame: Any) -> None:
    # A second kill while the first unwinds ends the process at once, as the default action does.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    raise Terminated


@contextmanager
def sigterm_unwinds() -> Iterator[None]:
    """Run the command with SIGTERM raising ``Terminated``, said in one line with exit 143 once it has unwound.

    With the default action the process ended where it stood: the hidden ``.NAME-*.mp4`` a write was
    filling (core.atomic) stayed beside the output for good. Unwound, the writer removes it and an
    earlier file of that name is left as it was. A command that handles SIGTERM itself (``serve``)
    sets its own handler for its run and puts this one back after.
    """
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    except Terminated:
        raise stopped_by_sigterm() from None
    finally:
        signal.signal(signal.SIGTERM, previous)
