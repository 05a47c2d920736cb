"""Ctrl-C or a kill while following a server job stops the following only: the job keeps running."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer

from reelgen.cli.output import STOPPED, say_error
from reelgen.cli.sigterm import Terminated, stopped_by_sigterm


@contextmanager
def watching_only(what: str, later: str) -> Iterator[None]:
    """Follow a job (``what``: "the batch ID") in this block; stopped, say in one line that it keeps
    running on the server and ``later``, how to stop or fetch it, then exit 130 (Ctrl-C) or 143 (kill)."""
    try:
        yield
    except KeyboardInterrupt:  # an error line, as SIGTERM's and every other command's Ctrl-C line are
        say_error(f"stopped watching; {what} keeps running on the server ({later})")
        raise typer.Exit(STOPPED) from None
    except Terminated:
        raise stopped_by_sigterm(
            f"stopped watching by SIGTERM; {what} keeps running on the server ({later})"
        ) from None
