"""The folders a batch or shoot-out names on the server: under the batch roots, made and writable, and
the 409 for one another of its kind, not yet ended, writes in."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from reelgen.api.errors import ApiError
from reelgen.api.lengths import shown
from reelgen.api.project_files import NAME_MAX
from reelgen.api.settings import FolderSettings
from reelgen.core.atomic import missing_folders, remove_empty
from reelgen.core.batch.lock import LOCK_FILE, held_words
from reelgen.core.flock import LockHeld, try_flock
from reelgen.jobs.records import kind_noun
from reelgen.jobs.service import JobService


def refuse_a_busy_folder(service: JobService, folder: str, key: str | None, kind: str, writes: str) -> None:
    """A 409 naming the ``kind`` job (``batch``, ``shootout``) that has not ended and writes into ``folder``.

    Two shoot-outs both wrote clips/<model>--<prompt>.mp4, report.html and results.json there: the
    first's report then showed the second's clips. Two batches (a `reelgen batch --server` run again
    after Ctrl-C, whose first job runs on) each made every item again and wrote over each other's
    files and summary. ``writes`` says what it writes there: "its report", "its clips".
    Call it inside ``claiming_folders()`` with the submit that follows, or two creates at the same
    instant both pass.
    """
    noun = kind_noun(kind)
    for status in ("queued", "in_progress"):
        after = None
        while True:
            page = service.list(after=after, limit=100, status=status, kind=kind)
            for job in page.items:
                # A retry with the same Idempotency-Key is the same job: its replay answers it.
                if job.payload.get("output_folder") == folder and (key is None or job.idempotency_key != key):
                    raise ApiError(
                        409,
                        f"output_folder: {noun} {job.id} is still writing {writes} in {folder}; "
                        "give another folder, or wait for it to end (or cancel it)",
                        param="output_folder",
                        code="folder_in_use",
                    )
            if not page.has_more:
                break
            after = page.last_id


#: Held from a create's look for a busy folder until its job is stored: six batches sent at once to one
#: folder were each answered 202 by twos (both looked before either was stored), and the second of a
#: pair then wrote over the first's clips and summary (a shoot-out's report, over the other's).
_CLAIMS = threading.Lock()


@contextmanager
def claiming_folders() -> Iterator[None]:
    """One create at a time between ``refuse_a_busy_folder`` and its job's submit, in this server."""
    with _CLAIMS:
        yield


#: The folders a create made for its outputs so far (``made_for_outputs``), while one is being planned.
_MADE: ContextVar[list[Path] | None] = ContextVar("reelgen_folders_made", default=None)


def made_for_outputs(folders: list[Path]) -> None:
    """Notes ``folders`` (``missing_folders``, deepest first) as just made by the create being planned."""
    made = _MADE.get()
    if made is not None:
        made[:0] = folders  # deepest first overall: a later folder lies under (or beside) an earlier one


@contextmanager
def taken_back_if_refused() -> Iterator[None]:
    """Removes again, while empty, the output folders a create made if it is refused after all.

    A batch or shoot-out made its output_folder while it was planned, and a refusal after that (the
    queue full, 429, say) left the empty folder behind, as a refused check of its images did not.
    """
    made: list[Path] = []
    token = _MADE.set(made)
    try:
        yield
    except BaseException:
        remove_empty(made)
        raise
    finally:
        _MADE.reset(token)


def refuse_a_locked_folder(
    folder: str, lock_file: Path = LOCK_FILE, words: Callable[[str, str, str], str] = held_words
) -> None:
    """A 409 when another process's run (an in-process `reelgen batch` or `reelgen shootout`) holds
    ``folder``'s ``lock_file`` now, said in that run's own ``words`` (``held_words`` of its lock module).

    Such a folder was answered 202, and the job then failed folder_in_use. Only a lock file that is
    there is tried, so nothing is made; the lock is tried shared and not kept, so two such checks
    never refuse each other (a run taking the lock in that instant is refused as if one held it).
    """
    try:
        fd = try_flock(Path(folder) / lock_file, shared=True, create=False)
    except LockHeld as held:
        raise ApiError(
            409, words("output_folder", folder, held.holder), param="output_folder", code="folder_in_use"
        ) from None
    except OSError:
        return  # no lock file (or none this server can read or lock): the job's own lock still decides
    os.close(fd)  # not kept: closing lets go of the shared lock


#: The most bytes a path may hold on Linux, its terminating NUL included (PATH_MAX).
PATH_MAX = 4096


def server_folder(value: str, param: str) -> Path:
    """``value`` as an absolute path on this server, if it lies under one of the batch roots."""
    roots = FolderSettings().roots()
    if not roots:
        raise ApiError(
            403,
            f"{param}: this server reads and writes no folders for requests; start it with "
            "REELGEN_BATCH_ROOTS=/path/to/shots (folders batches and shoot-outs may use)",
            param=param,
            code="folders_not_allowed",
        )
    path = Path(value).expanduser()
    if not path.is_absolute():
        raise ApiError(400, f"{param}: {value!r} must be an absolute path on the server", param=param)
    longest = max(path.parts, key=lambda part: len(part.encode()))
    if len(longest.encode()) > NAME_MAX:
        # No disk takes it: each look at such a path (exists, is_dir, mkdir) was a 500 (OSError).
        raise ApiError(
            400,
            f"{param}: {shown(longest)} is {len(longest.encode())} bytes long, and a folder or file name "
            f"may have at most {NAME_MAX}; give a shorter one",
            param=param,
        )
    if len(str(path).encode()) >= PATH_MAX:  # short names, but too many of them for any look at it
        raise ApiError(
            400,
            f"{param}: the path is {len(str(path).encode()):,} bytes long (UTF-8), and a path on the "
            f"server may hold at most {PATH_MAX - 1:,}; give a shorter one",
            param=param,
        )
    path = path.resolve()
    if not any(path == root or root in path.parents for root in roots):
        raise ApiError(
            403,
            f"{param}: {path} is outside the folders this server may use ({', '.join(map(str, roots))})",
            param=param,
            code="folder_not_allowed",
        )
    return path


def writable_folder(path: Path, param: str) -> Path:
    """Make ``path`` (under a batch root) and check the server may write there."""
    nearest = path
    while not nearest.exists() and nearest != nearest.parent:
        nearest = nearest.parent
    if not nearest.is_dir():  # mkdir said only "File exists" or "Not a directory" of it
        where = f"{path} is a file" if nearest == path else f"{nearest} (on the way to {path}) is a file"
        raise ApiError(
            400, f"{param}: {where}; give a folder for the outputs (it is made if missing)", param=param
        )
    made = missing_folders(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ApiError(400, f"{param}: cannot make {path} ({exc.strerror or exc})", param=param) from None
    made_for_outputs(made)  # taken back if the create is refused after all
    if not os.access(path, os.W_OK | os.X_OK):
        # It named the folder and no way on: the folder is the server's user's to write, not the client's.
        raise ApiError(
            400,
            f"{param}: the server cannot write in {path} (the user it runs as has no write permission "
            "there); give a folder that user can write in, or make this one writable for it",
            param=param,
        )
    return path
