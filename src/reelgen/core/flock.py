"""A file's lock taken without waiting, and who holds it when another process does."""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from pathlib import Path


class LockHeld(Exception):
    """Another open of the file holds its lock now; ``holder`` says who, as its record tells it."""

    def __init__(self, holder: str) -> None:
        super().__init__(holder)
        self.holder = holder


def try_flock(path: Path, *, shared: bool = False, create: bool = True) -> int:
    """A descriptor of ``path`` holding its lock (exclusive, or ``shared``), taken without waiting.

    ``LockHeld`` naming the holder when another open of it holds a lock that excludes this one;
    ``OSError`` when the file cannot be opened (``create=False`` and none there) or the file
    system takes no lock. The lock is the OS's (flock): it goes when the descriptor is closed,
    or with its process, so a run killed part-way holds nothing. Without ``create`` the file is
    only read, so a check makes nothing.
    """
    flags = os.O_RDWR | os.O_CREAT if create else os.O_RDONLY
    fd = os.open(path, flags, 0o644)
    try:
        fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = holder_of(fd)
        os.close(fd)
        raise LockHeld(holder) from None
    except OSError:
        os.close(fd)
        raise
    return fd


def say_holder(fd: int, source: str | None = None) -> None:
    """Write who holds ``fd``'s lock into it, for a run refused: process, host, since when, ``source``."""
    record = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "source": source or "",
    }
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(record).encode(), 0)
    except OSError:
        pass  # the lock holds without it; the refused run says less


def holder_of(fd: int) -> str:
    """The holder as the record ``say_holder`` wrote says it, or as much as can be told."""
    try:
        record = json.loads(os.pread(fd, 4096, 0).decode())
        what = f"{record['source']}, " if record.get("source") else ""
        return f"{what}process {int(record['pid'])} on {record['host']}, since {record['since']}"
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return "a process of this or another machine"
