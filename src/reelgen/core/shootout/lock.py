"""One shoot-out at a time per report folder: a second run into a folder another is writing in is refused."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reelgen.core.atomic import missing_folders, remove_empty
from reelgen.core.errors import ReelgenError
from reelgen.core.flock import LockHeld, let_go, say_holder, try_flock

#: Beside the report, as a batch keeps its own in ``.reelgen/``.
LOCK_FILE = Path(".reelgen") / "shootout.lock"


class ReportFolderBusy(ReelgenError):
    """Another shoot-out is writing in this report folder now (exit 1: nothing is wrong with the input)."""

    code = "folder_in_use"


@contextmanager
def report_folder_held(folder: Path, source: str | None = None, field: str = "--output") -> Iterator[None]:
    """``folder`` to this shoot-out alone while it runs; ``ReportFolderBusy`` naming the run that holds it.

    Two `reelgen shootout` runs into one folder each wrote clips/<model>--<prompt>.mp4, report.html and
    results.json there, over the other's (a server refuses the second with a 409). The lock is the OS's
    (flock): it goes with its process, so a run killed part-way holds nothing. A folder that takes no
    lock file runs unlocked. The lock file goes when the run ends, and the folders made for it alone.
    ``field`` is what the refusal names (a server shoot-out's is ``output_folder``).
    """
    path = folder / LOCK_FILE
    made = missing_folders(path.parent)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = try_flock(path)
    except LockHeld as held:
        remove_empty(made)
        raise ReportFolderBusy(
            f"{field} {folder}: another shoot-out is writing its clips and report there now "
            f"({held.holder}); wait for it to end (or stop it), or give another folder",
            param=field.lstrip("-"),
        ) from None
    except OSError:
        remove_empty(made)
        yield
        return
    try:
        say_holder(fd, source)
        yield
    finally:
        let_go(path, fd)
        remove_empty(made)
