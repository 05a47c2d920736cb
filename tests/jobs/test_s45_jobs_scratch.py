"""A running server of this machine keeps its runs' scratch folders, whatever database it uses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from reelgen.jobs import _scratch_sweep, owners

JOB = "video_" + "d" * 32


def test_the_runs_of_another_live_server_here_stay_though_this_database_knows_none_of_them(
    tmp_path: Path,
) -> None:
    """A second server on its own database (same data folder): its jobs are not among this store's
    running ones, so the inputs and half-encoded video of every job it ran went at each pass."""
    root = tmp_path / "scratch"
    live = root / f"{owners.machine()}-{os.getppid()}" / "worker-0" / f"{JOB}-k3x_9q"
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    dead = root / f"{owners.machine()}-{int(done.stdout)}" / "worker-0" / f"{JOB}-k3x_9q"
    for folder in (live, dead):
        folder.mkdir(parents=True)
        (folder / "input-0.png").write_bytes(b"png")

    removed = _scratch_sweep.sweep_runs(root, dict, owners.scratch_name())
    assert removed == 1
    assert (live / "input-0.png").is_file() and not dead.exists()
