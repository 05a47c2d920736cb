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


class ProcessTable:
    """Each process's parent and start time, read once per process.

    A look lists the process ids and reads only those not seen before: asking each Ray process for
    its descendants read every process of the machine once per Ray process, every second (a few
    percent of a core for as long as the server ran, more the busier the machine).
    """

    def __init__(self) -> None:
        self.known: dict[int, tuple[int, float]] = {}  # pid -> (parent pid, create time)

    def look(self) -> None:
        pids = set(psutil.pids())
        for gone in self.known.keys() - pids:
            del self.known[gone]
        for pid in pids - self.known.keys():
            with contextlib.suppress(psutil.Error):
                process = psutil.Process(pid)
                self.known[pid] = (process.ppid(), process.create_time())

    def tree(self, roots: list[int]) -> dict[int, float]:
        """The live ``roots`` and all their descendants, by pid, with their create times."""
        children: dict[int, list[int]] = {}
        for pid, (parent, _) in self.known.items():
            children.setdefault(parent, []).append(pid)
        found: dict[int, float] = {}
        todo = [pid for pid in roots if pid in self.known]
        while todo:
            pid = todo.pop()
            if pid not in found:
                found[pid] = self.known[pid][1]
                todo += children.get(pid, [])
        return found


def _tree(roots: list[int], seen: dict[int, float], table: ProcessTable) -> None:
    """Add the roots and all their descendants to ``seen`` (pid -> create time)."""
    table.look()
    for pid, created in table.tree(roots).items():
        seen.setdefault(pid, created)


def main(temp_dir: str, roots: list[int]) -> None:
    seen: dict[int, float] = {}
    table = ProcessTable()
    closed = threading.Event()

    def wait_for_eof() -> None:
        sys.stdin.buffer.read()  # returns only when the API process's end is closed
        closed.set()

    threading.Thread(target=wait_for_eof, daemon=True).start()
    while not closed.wait(EVERY_S):
        _tree(roots, seen, table)
    for pid, created in seen.items():
        with contextlib.suppress(psutil.Error):
            process = psutil.Process(pid)
            if process.create_time() == created:  # not a new process that reused the pid
                process.kill()
    shutil.rmtree(temp_dir, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1], [int(pid) for pid in sys.argv[2:]])
