"""A process of a split run whose parent was killed stops without a word: no traceback into the terminal."""

from __future__ import annotations

from multiprocessing import Pipe

from reelgen.core.errors import Cancelled
from reelgen.core.parallel.rank import Outbox
from reelgen.core.progress import ProgressEvent


def test_reports_to_a_parent_that_is_gone_are_dropped_quietly() -> None:
    parent, child = Pipe(duplex=True)
    outbox = Outbox(child, rank=1)
    outbox.event(ProgressEvent("denoise", 1, 4, 0.25))
    assert parent.recv()[0] == "event"  # while the parent is there, it hears everything
    parent.close()  # killed (SIGKILL, the OOM killer): its end of the pipe closes
    # Each raised BrokenPipeError, printed with the Cancelled before it by every process.
    outbox.event(ProgressEvent("denoise", 2, 4, 0.5))
    try:
        raise Cancelled("run cancelled by request; no file was written")
    except Cancelled as exc:
        outbox.error(exc, "cpu")
    child.close()
