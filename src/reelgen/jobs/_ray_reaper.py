"""Outlives the API process to clear up after its private Ray: ``python -m reelgen.jobs._ray_reaper TEMP PID...``.

Ray ties ``gcs_server`` and ``raylet`` to the API process, but its agents
(dashboard agent, runtime-env agent) outlive a ``kill -9`` of it by about a
minute, spent trying to report to the dead GCS, and nothing removes Ray's temp
folder. This process watches its stdin, a pipe only the API process writes to:
when it closes (the API stopped, or died however it died) every process of
that Ray seen while it ran is killed and the temp folder removed.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import threading

import psutil

#: How often the Ray processes are listed (agents start a few seconds after Ray).
EVERY_S = 1.0


def _tree(roots: list[int], seen: dict[int, float]) -> None:
    """Add the roots and all their descendants to ``seen`` (pid -> create time)."""
    for pid in roots:
        with contextlib.suppress(psutil.Error):
            root = psutil.Process(pid)
            for process in [root, *root.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    seen.setdefault(process.pid, process.create_time())


def main(temp_dir: str, roots: list[int]) -> None:
    seen: dict[int, float] = {}
    closed = threading.Event()

    def wait_for_eof() -> None:
        sys.stdin.buffer.read()  # returns only when the API process's end is closed
        closed.set()

    threading.Thread(target=wait_for_eof, daemon=True).start()
    while not closed.wait(EVERY_S):
        _tree(roots, seen)
    for pid, created in seen.items():
        with contextlib.suppress(psutil.Error):
            process = psutil.Process(pid)
            if process.create_time() == created:  # not a new process that reused the pid
                process.kill()
    shutil.rmtree(temp_dir, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1], [int(pid) for pid in sys.argv[2:]])
