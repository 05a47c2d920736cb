"""A file's lock taken (without waiting, or waiting), who holds it, and the file removed as it goes."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import time
from collections.abc import Callable
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
    only read, so a check makes nothing. The lock held is that of the file ``path`` names once
    it is taken, so a holder may remove the file as it lets go (``let_go``).
    """
    return _taken(path, shared, create, None)


def hold_flock(path: Path, on_wait: Callable[[], None] | None = None) -> int:
    """A descriptor of ``path`` (made if missing) holding its exclusive lock, waiting for it while
    another open holds it (after calling ``on_wait``, once). ``OSError`` as ``try_flock`` says."""
    return _taken(path, False, True, on_wait or (lambda: None))


def let_go(path: Path, fd: int) -> None:
    """Remove the lock file ``path`` and let go of ``fd``'s lock on it: one file per lock no longer
    piles up (a render's ``.reelgen/locks/KEY.lock`` for every version of every scene).

    The file goes while still held: a taker that opened it meanwhile gets its lock only to find
    ``path`` names no file or another one, and opens ``path`` again (``try_flock``), so two takers
    never hold two files of one name.
    """
    with contextlib.suppress(OSError):  # a folder that lets none be removed keeps it: the lock still goes
        path.unlink(missing_ok=True)
    os.close(fd)


def _taken(path: Path, shared: bool, create: bool, on_wait: Callable[[], None] | None) -> int:
    """``path`` opened and locked (``on_wait`` None: ``LockHeld`` if held), on the file it names then."""
    how = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT if create else os.O_RDONLY, 0o644)
        try:
            try:
                fcntl.flock(fd, how | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait is None:
                    raise LockHeld(holder_of(fd)) from None
                on_wait()
                on_wait = _said  # said once, however often the file was replaced meanwhile
                fcntl.flock(fd, how)
            if _still_named(path, fd):
                return fd
        except BaseException:  # held, no lock taken, Ctrl-C while waiting: nothing left open
            os.close(fd)
            raise
        os.close(fd)  # the holder before let go of it and removed it as this one opened it: again


def _said() -> None:
    """What a second wait says: nothing (``on_wait`` said it the first time)."""


def _still_named(path: Path, fd: int) -> bool:
    """``path`` still names the file ``fd`` has open (not removed, nor replaced by a new one)."""
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except FileNotFoundError:
        return False


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
