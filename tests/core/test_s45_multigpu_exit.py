"""A process of a split run that is killed fails the run naming the signal, never as an internal error."""

from __future__ import annotations

import re
import subprocess
from multiprocessing import Pipe
from typing import Any, cast

import pytest

from reelgen.core.errors import GenerationFailed
from reelgen.core.parallel import launch
from reelgen.core.progress import Progress


class ResetPipe:
    """The parent's end of a pipe whose process was killed with data unread: readable, then reset."""

    def __init__(self) -> None:
        self.ours, theirs = Pipe()
        theirs.send("unread")
        self.theirs = theirs

    def fileno(self) -> int:
        return self.ours.fileno()

    def recv(self) -> Any:
        raise ConnectionResetError(104, "Connection reset by peer")

    def close(self) -> None:
        self.ours.close()
        self.theirs.close()


@pytest.mark.parametrize(
    ("signal", "said"),
    [
        ("KILL", "SIGKILL (kill -9, or the system's out-of-memory"),
        ("TERM", "SIGTERM before"),
        (
            "40",
            "signal 40 before",
        ),  # a real-time signal: no Signals member, and Signals(40) raised ValueError
    ],
)
def test_a_killed_process_fails_the_run_with_the_signal_that_stopped_it(signal: str, said: str) -> None:
    # Before: "internal error (ConnectionResetError: [Errno 104] ...)", or "exited with code -9".
    popen = subprocess.Popen(["sh", "-c", f"kill -{signal} $$"])
    pipe = ResetPipe()
    process = launch._Process(1, popen, cast(Any, pipe))
    try:
        with pytest.raises(
            GenerationFailed, match=re.escape(f"process 1 of the run was stopped by {said}")
        ) as failed:
            launch._collect([process], Progress())
    finally:
        pipe.close()
    assert str(failed.value).endswith("no file was written")
