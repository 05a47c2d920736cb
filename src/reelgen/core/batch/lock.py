"""One batch at a time per output folder: a second run into a folder another is writing in is refused."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

from reelgen.core.errors import ReelgenError
from reelgen.core.flock import LockHeld
from reelgen.core.folder_lock import folder_locked

#: Beside the clips, as a project keeps its own in ``.reelgen/``.
LOCK_FILE = Path(".reelgen") / "batch.lock"


class FolderBusy(ReelgenError):
    """Another batch is writing in this output folder now (exit 1: nothing is wrong with the input)."""

    code = "folder_in_use"


def folder_held(
    folder: Path, source: str | None = None, field: str = "output_dir"
) -> AbstractContextManager[None]:
    """``folder`` to this batch alone while it runs; ``FolderBusy`` naming the run that holds it.

    Two `reelgen batch` runs into one folder each made every item and wrote over the other's clips,
    companions and summary. ``field`` is what the refusal tells the person to change (a server
    batch's is ``output_folder``). A batch that wrote nothing leaves no folder, and one that did
    leaves only its clips and summary.
    """

    def busy(held: LockHeld) -> FolderBusy:
        return FolderBusy(held_words(field, folder, held.holder), param=field)

    return folder_locked(folder, LOCK_FILE, source, busy)


def held_words(field: str, folder: Path | str, holder: str) -> str:
    """How a folder another batch (``holder``) writes in is refused, by a run and a server alike."""
    return (
        f"{field} {folder}: another batch is writing its clips and summary there now "
        f"({holder}); wait for it to end (or stop it), or set another {field}"
    )
