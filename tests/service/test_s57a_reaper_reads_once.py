"""The private Ray's reaper reads each process of the machine once, not every Ray process's descendants every second."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import psutil
import pytest

from reelgen.jobs import _ray_reaper

#: A Ray process that has started one of its own (as the raylet starts its agents), both waiting.
PARENT = (
    "import subprocess, sys, time; "
    "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)']); time.sleep(120)"
)


class _Stdin:
    """The pipe from the API process: ``read`` returns (the API is gone) once ``closed`` is set."""

    def __init__(self) -> None:
        self.closed = threading.Event()
        self.buffer = self

    def read(self) -> bytes:
        self.closed.wait(60)
        return b""


def test_the_reaper_reads_each_process_once_and_still_ends_every_ray_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT])
    try:
        deadline = time.monotonic() + 30
        while not psutil.Process(parent.pid).children():
            assert time.monotonic() < deadline, "the test's process tree did not start"
            time.sleep(0.02)
        child = psutil.Process(parent.pid).children()[0]
        temp_dir = tmp_path / "ray-temp"
        temp_dir.mkdir()

        reads: Counter[int] = Counter()

        class Counted(psutil.Process):
            def __init__(self, pid: int | None = None) -> None:
                reads[pid or 0] += 1
                super().__init__(pid)

        stdin = _Stdin()
        looks = 0
        first: Counter[int] = Counter()  # reads by pid after the first round, and after the fifth
        watching: Counter[int] = Counter()
        watch = _ray_reaper._tree

        def counted_look(*args: Any) -> None:
            nonlocal looks
            watch(*args)
            looks += 1
            if looks == 1:
                first.update(reads)
            if looks == 5:  # five rounds of watching, then the API process goes
                watching.update(reads)
                stdin.closed.set()

        monkeypatch.setattr(psutil, "Process", Counted)
        monkeypatch.setattr(sys, "stdin", stdin)
        monkeypatch.setattr(_ray_reaper, "EVERY_S", 0.01)
        monkeypatch.setattr(_ray_reaper, "_tree", counted_look)
        _ray_reaper.main(str(temp_dir), [parent.pid])
        monkeypatch.undo()

        assert parent.wait(10) == -9  # the API process gone, every Ray process seen is ended ...
        gone, alive = psutil.wait_procs([child], timeout=10)
        assert alive == [] or all(p.status() == psutil.STATUS_ZOMBIE for p in alive)
        assert not temp_dir.exists()  # ... and Ray's folder removed
        # Each was read in the first round, and never again in the four after (it was, every round).
        assert first[parent.pid] > 0 and first[child.pid] > 0
        assert (watching[parent.pid], watching[child.pid]) == (first[parent.pid], first[child.pid])
    finally:
        for process in psutil.Process(parent.pid).children() if parent.poll() is None else []:
            process.kill()
        parent.kill()
        parent.wait()
