"""What is said when the server cannot write a job's outputs or an upload: to the client, and to its log."""

from __future__ import annotations

import errno
from pathlib import Path

from reelgen.core.errors import WriteFailed

#: What the system said, as the server's state: words a client can act on, without the server's paths.
_WHY = {
    errno.ENOSPC: "no space left on the server's disk",
    errno.EDQUOT: "the server's disk quota is used up",
    errno.EROFS: "the server's data folder is read-only now",
    errno.EACCES: "the server may no longer write in its data folder",
    errno.EPERM: "the server may no longer write in its data folder",
}
_FULL = (errno.ENOSPC, errno.EDQUOT)


class NotSaved(WriteFailed):
    """Files the server could not write; ``message`` names no server path, ``detail`` (for its log) does."""

    def __init__(self, message: str, detail: str, *, disk_full: bool) -> None:
        super().__init__(message, disk_full=disk_full)
        self.detail = detail


def _said(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _detail(exc: OSError, fallback: Path, verb: str) -> str:
    """For the log: the path the system named (else ``fallback``) and what went wrong there."""
    where = Path(exc.filename) if exc.filename else fallback
    if exc.errno in _FULL:
        return f"{'no space left' if exc.errno == errno.ENOSPC else 'the disk quota is used up'} on {where}"
    return f"cannot {verb} {where} ({_said(exc)})"


def not_saved(exc: OSError, root: Path, files: dict[str, bytes]) -> NotSaved:
    """``exc``, met writing a job's outputs under the data folder ``root``, as the job's error."""
    what = "the video" if "video" in files else "the job's outputs"
    why = _WHY.get(exc.errno or 0)
    detail = _detail(exc, root / "outputs", "write")
    fix = "free some space there" if exc.errno in _FULL else "make the data folder writable again"
    message = (
        f"{why}, so {what} could not be saved" if why else f"the server could not save {what} ({_said(exc)})"
    )
    return NotSaved(
        f"{message}; nothing was kept: {fix} and make the job again",
        f"{detail} saving {what}; nothing was kept",
        disk_full=exc.errno in _FULL,
    )


def upload_not_kept(exc: OSError, inputs: Path, size: int) -> NotSaved:
    """``exc``, met keeping an upload of ``size`` bytes in the data folder's ``inputs``; the API answers it 507
    (a full disk) or 500 in its own words, and the log says where."""
    detail = _detail(exc, inputs, "write")
    why = _WHY.get(exc.errno or 0) or f"the server could not keep the upload ({_said(exc)})"
    return NotSaved(
        f"{why}; the upload was not kept",
        f"{detail} keeping an upload of {size} bytes; the request was refused and nothing was kept",
        disk_full=exc.errno in _FULL,
    )


def no_work_folder(exc: OSError, scratch: Path) -> NotSaved:
    """``exc``, met making a run's work folder under the worker's ``scratch`` folder, as the job's error."""
    detail = _detail(exc, scratch, "make")
    why = _WHY.get(exc.errno or 0) or f"the server could not make a folder to work in ({_said(exc)})"
    fix = "free some space there" if exc.errno in _FULL else "make the data folder writable again"
    return NotSaved(
        f"{why}, so the job had no folder to work in and was not run: {fix} and make the job again",
        f"{detail} making the job's work folder; it was not run",
        disk_full=exc.errno in _FULL,
    )
