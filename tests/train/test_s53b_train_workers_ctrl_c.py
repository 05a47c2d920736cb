"""`reelgen train-micro train --workers N` ends on Ctrl-C: the scene workers leave the stop to the parent."""

from __future__ import annotations

import re
import signal
from pathlib import Path

import pytest

from reelgen.train.micro_data import SceneStream


@pytest.mark.skipif(
    not Path("/proc/self/status").is_file(), reason="reads the workers' signal masks in /proc"
)
def test_the_scene_workers_ignore_ctrl_c() -> None:
    # A terminal's Ctrl-C reaches the whole process group: a worker it stopped while sending a chunk left
    # the pool's result queue locked, and closing the stream (the run's `finally`) waited on that lock for
    # ever, so a --workers 2 run never ended. The parent alone acts on Ctrl-C now, and ends the workers.
    stream = SceneStream(0, 5, workers=1)
    try:
        stream.take(1)  # a chunk came back: the worker has started
        for worker in stream._pool._pool:
            status = Path(f"/proc/{worker.pid}/status").read_text()
            ignored = int(re.search(r"SigIgn:\s*([0-9a-f]+)", status).group(1), 16)  # type: ignore[union-attr]
            assert ignored >> (signal.SIGINT - 1) & 1, f"worker {worker.pid} would stop on Ctrl-C"
    finally:
        stream.close()
