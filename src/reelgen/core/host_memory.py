"""The RAM this machine can give now, read from Linux's files: no torch, so request checks can ask it."""

from __future__ import annotations

import re

from reelgen.core.spec.memory import GIB


def host_available_gib() -> float | None:
    """RAM that new allocations can take now without swapping; None where unknown.

    Linux's MemAvailable, or less where this process's cgroup (a container's
    memory limit) leaves less: /proc/meminfo shows the whole host's memory.
    """
    meminfo = _read("/proc/meminfo")
    found = re.search(r"^MemAvailable:\s+(\d+) kB", meminfo or "", re.MULTILINE)
    if found is None:
        return None
    available = int(found[1]) * 1024
    limit, used = _read("/sys/fs/cgroup/memory.max"), _read("/sys/fs/cgroup/memory.current")
    if limit and used and limit.strip().isdigit() and used.strip().isdigit():
        available = min(available, int(limit) - int(used))
    return max(available, 0) / GIB


def _read(path: str) -> str | None:
    try:
        with open(path) as file:
            return file.read()
    except OSError:
        return None
