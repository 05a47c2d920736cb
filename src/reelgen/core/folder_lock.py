"""One run at a time per output folder: the lock file a batch or a shoot-out keeps in ``.reelgen/`` while it writes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from reelgen.core.atomic import missing_folders, remove_empty
from reelgen.core.errors import ReelgenError
from reelgen.core.flock import LockHeld, let_go, say_holder, try_flock


@contextmanager
def folder_locked(
    folder: Path, lock_file: Path, source: str | None, busy: Callable[[LockHeld], ReelgenError]
) -> Iterator[None]:
    """``folder`` to this run alone while it runs; ``busy(held)`` raised when another run holds it.

    The lock is the OS's (flock): it goes with its process, so a run killed part-way holds nothing. A
    folder that takes no lock file runs unlocked. The lock file goes when the run ends, and with it the
    folders made for it alone: a run that wrote nothing (refused, cancelled while checking) leaves no
    folder. ``source`` (the manifest, the prompts file, the server job) is written in the lock file, so
    the refusal names the run that holds it.
    """
    path = folder / lock_file
    made = missing_folders(path.parent)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = try_flock(path)
    except LockHeld as held:
        remove_empty(made)
        raise busy(held) from None
    except OSError:
        remove_empty(made)
        yield
        return
    try:
        say_holder(fd, source)
        yield
    finally:
        let_go(path, fd)  # removed while still held: a run that opened it meanwhile opens it again
        remove_empty(made)
