"""One batch at a time per output folder: a second run into a folder another is writing in is refused."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reelgen.core.atomic import missing_folders, remove_empty
from reelgen.core.errors import ReelgenError
from reelgen.core.flock import LockHeld, let_go, say_holder, try_flock

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

    The lock file goes when the run ends, and with it the folders made for it alone: a batch that
    wrote nothing (refused, cancelled while checking) leaves no folder, and one that did leaves
    only its clips and summary.
    """
    path = folder / LOCK_FILE
    made = missing_folders(path.parent)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = _locked(path, folder, field)
    except FolderBusy:
        remove_empty(made)
        raise
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


def _locked(path: Path, folder: Path, field: str) -> int:
    """A descriptor of ``path`` holding its lock; ``FolderBusy`` when another run holds it."""
    try:
        return try_flock(path)
    except LockHeld as held:
        raise FolderBusy(
            f"{field} {folder}: another batch is writing its clips and summary there now "
            f"({held.holder}); wait for it to end (or stop it), or set another {field}",
            param=field,
        ) from None
