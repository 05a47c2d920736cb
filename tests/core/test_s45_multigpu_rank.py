"""How a process of a split run stops: quietly when its parent was killed, unwinding (no hidden files) on SIGTERM."""

from __future__ import annotations

import os
import signal
from multiprocessing import Pipe
from pathlib import Path

import pytest

from reelgen.core.atomic import staged
from reelgen.core.errors import Cancelled, GenerationFailed
from reelgen.core.parallel import rank
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


def test_sigterm_unwinds_a_process_and_takes_back_the_files_it_was_writing(tmp_path: Path) -> None:
    # The parent stops the processes of a failed or aborted run with SIGTERM; rank 0 died at once, and
    # the hidden files of the video it was encoding stayed beside the output (".clip-4cd443e2f441.mp4").
    before = signal.signal(signal.SIGTERM, rank.stopped)
    try:
        stopped = pytest.raises(
            GenerationFailed, match="process .* was stopped by SIGTERM; no file was written"
        )
        with stopped, staged(tmp_path / "clip.mp4", tmp_path / "clip.json") as (video, record):
            video.write_bytes(b"half a video")
            record.write_text("{")
            os.kill(os.getpid(), signal.SIGTERM)  # the handler raises here, in this (the main) thread
            record.write_text("{}")
        assert list(tmp_path.iterdir()) == []
        # The parent's second SIGTERM (stopping what is left) does not break the unwinding.
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGTERM, before)
