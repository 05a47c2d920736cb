"""One shoot-out at a time per report folder: a second run into a folder another is writing in is refused."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

from reelgen.core.errors import ReelgenError
from reelgen.core.flock import LockHeld
from reelgen.core.folder_lock import folder_locked

#: Beside the report, as a batch keeps its own in ``.reelgen/``.
LOCK_FILE = Path(".reelgen") / "shootout.lock"


class ReportFolderBusy(ReelgenError):
    """Another shoot-out is writing in this report folder now (exit 1: nothing is wrong with the input)."""

    code = "folder_in_use"


def report_folder_held(
    folder: Path, source: str | None = None, field: str = "--output"
) -> AbstractContextManager[None]:
    """``folder`` to this shoot-out alone while it runs; ``ReportFolderBusy`` naming the run that holds it.

    Two `reelgen shootout` runs into one folder each wrote clips/<model>--<prompt>.mp4, report.html and
    results.json there, over the other's (a server refuses the second with a 409). ``field`` is what
    the refusal names (a server shoot-out's is ``output_folder``).
    """

    def busy(held: LockHeld) -> ReportFolderBusy:
        return ReportFolderBusy(held_words(field, folder, held.holder), param=field.lstrip("-"))

    return folder_locked(folder, LOCK_FILE, source, busy)


def held_words(field: str, folder: Path | str, holder: str) -> str:
    """How a folder another shoot-out (``holder``) writes in is refused, by a run and a server alike."""
    return (
        f"{field} {folder}: another shoot-out is writing its clips and report there now "
        f"({holder}); wait for it to end (or stop it), or give another folder"
    )
