"""One batch at a time per output folder: a second run into a folder another is writing in is refused."""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reelgen.core.errors import ReelgenError

#: Beside the clips, as a project keeps its own in ``.reelgen/``.
LOCK_FILE = Path(".reelgen") / "batch.lock"


class FolderBusy(ReelgenError):
    """Another batch is writing in this output folder now (exit 1: nothing is wrong with the input)."""

    code = "folder_in_use"


@contextmanager
def folder_held(folder: Path, source: str | None = None, field: str = "output_dir") -> Iterator[None]:
    """``folder`` to this batch alone while it runs; ``FolderBusy`` naming the run that holds it.

    Two `reelgen batch` runs into one folder each made every item and wrote over the other's clips,
    companions and summary. The lock is the OS's (flock): it goes with its process, so a run killed
    part-way holds nothing. A folder that takes no lock file runs unlocked, as before. ``field`` is
    what the refusal tells the person to change (a server batch's is ``output_folder``).
    """
    path = folder / LOCK_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FolderBusy(
                f"{field} {folder}: another batch is writing its clips and summary there now "
                f"({_holder(fd)}); wait for it to end (or stop it), or set another {field}",
                param=field,
            ) from None
        _say_holder(fd, source)
        yield
    finally:
        os.close(fd)


def _say_holder(fd: int, source: str | None) -> None:
    """Who holds the lock, for the run refused: its process, where and since when, and its manifest."""
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


def _holder(fd: int) -> str:
    """The holder as its record says it, or as much as can be told."""
    try:
        record = json.loads(os.pread(fd, 4096, 0).decode())
        what = f"{record['source']}, " if record.get("source") else ""
        return f"{what}process {int(record['pid'])} on {record['host']}, since {record['since']}"
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return "a process of this or another machine"
