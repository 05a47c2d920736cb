"""Files written all or nothing: a hidden file beside each destination, synced to disk, then renamed into place."""

from __future__ import annotations

import errno
import os
import re
import secrets
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from reelgen.core.errors import InvalidRequest, WriteFailed

#: What the OS says when the disk (or the person's quota, or the largest file it allows) is full.
_FULL = {errno.ENOSPC: "no space left on the device", errno.EDQUOT: "the disk quota is used up"}
#: The bytes a file name may have on Linux's file systems (and macOS's).
NAME_MAX = 255
#: The bytes a whole path may have on Linux (its PATH_MAX, 4096, counts the closing NUL).
PATH_MAX = 4095


def new_file_beside(path: Path) -> Path:
    """A new empty file in ``path``'s folder, hidden, to be renamed over ``path`` once written.

    It is created with mode 0666 so the kernel applies the process umask, as for
    any file a program makes (``tempfile.mkstemp`` would make it 0600, and the
    rename would keep that: a video nobody else could open). O_EXCL makes the
    name ours alone.
    """
    # The hidden name is 14 bytes longer: cut from the stem so that a name of 242-255 bytes, which the
    # folder takes, is not refused for the length of a name the person never sees.
    stem = path.stem
    while len(os.fsencode(f".{stem}-{'0' * 12}{path.suffix}")) > NAME_MAX and stem:
        stem = stem[:-1]
    while True:
        candidate = path.with_name(f".{stem}-{secrets.token_hex(6)}{path.suffix}")
        try:
            os.close(os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return candidate


LOOP = "is a symbolic link that leads back to itself"


def link_loop(path: Path) -> bool:
    """Whether ``path`` is a chain of symbolic links that comes back to itself.

    ``Path.resolve`` raises on one (RuntimeError, OSError from Python 3.13), which a command
    checking its output against its inputs met as an internal error.
    """
    try:
        path = path.expanduser()
    except RuntimeError:  # ~nouser: no such home, so no link either (it was said to be a loop)
        return False
    try:
        path.resolve()
    except RuntimeError:
        return True
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


@dataclass(frozen=True)
class WriteProblem:
    """Why a file could not be written at ``path``, found before any work, for a caller to word.

    ``kind``: ``long`` (a name on the way no folder holds; ``why`` says which), ``folder`` (a folder
    stands where the file would go), ``file`` (``where``, a folder on the way, is a file) or ``refused``
    (``where``, the deepest folder that exists, takes no new file; ``why`` is what the system said).
    """

    kind: Literal["long", "folder", "file", "refused"]
    path: Path
    where: Path
    why: str = ""


def write_problem(path: str | Path) -> WriteProblem | None:
    """What keeps a file from being written at ``path``, or None; folders that do not exist yet are
    not made, and the probe file made in the deepest folder that exists is removed."""
    path = Path(path)
    too_long = name_problem(path)  # of the file or a folder on its way
    if too_long:
        return WriteProblem("long", path, path, too_long)
    if path.is_dir():  # the finished file would be renamed onto a folder
        return WriteProblem("folder", path, path)
    folder = path.absolute().parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        return WriteProblem("file", path, folder)
    try:
        new_file_beside(folder / path.name).unlink()
    except OSError as exc:
        # /proc and /sys exist but make no new file, which the system words "No such file or directory".
        why = "the system makes no files there" if exc.errno == errno.ENOENT else exc.strerror or str(exc)
        return WriteProblem("refused", path, folder, why)
    return None


def check_writable(path: str | Path, param: str = "output", *, own: bool = False) -> None:
    """Refuse, before any work, an output that could not be written: a folder on its way is a file,
    or the deepest folder that exists takes no new file. Folders that do not exist yet are not made.
    ``own`` marks a file whose name reelgen picks (a project's state.json), not one the person gave.
    """
    problem = write_problem(path)
    if problem is None:
        return
    path = problem.path
    if problem.kind == "long":
        raise InvalidRequest(f"{param} {path}: {problem.why}", param=param)
    if problem.kind == "folder":
        # "give a file path in it" made no sense for a state.json no one types.
        advice = (
            "reelgen keeps a file of that name there: move or remove the folder"
            if own
            else "give a file path in it"
        )
        raise InvalidRequest(f"{param} {path} is a folder; {advice}", param=param)
    if problem.kind == "file":
        raise InvalidRequest(
            f"{param} {path}: {problem.where} is a file, not a folder; give a path in a folder", param=param
        )
    raise InvalidRequest(
        f"{param} {path}: cannot write into {problem.where} ({problem.why}); give a path in a folder you "
        "can write to",
        param=param,
    )


def name_too_long(name: str) -> str:
    """What is said of a name longer than a folder takes, and how long it may be."""
    return (
        f"the name {name[:24]}... is {len(os.fsencode(name))} bytes long, and a folder or file name may have "
        f"at most {NAME_MAX}; give a shorter one"
    )


def name_problem(path: Path) -> str | None:
    """What is wrong with a name along ``path`` that no folder could hold, or with ``path`` as a whole, or
    None: asking the disk about such a path (``is_file``, ``exists``) raised "File name too long", an
    internal error, where Python 3.11 answers False for other paths that are not there."""
    long = next((part for part in path.parts if len(os.fsencode(part)) > NAME_MAX), None)
    if long:
        return name_too_long(long)
    size = len(os.fsencode(str(path)))
    if size > PATH_MAX:  # each name short, but not all of them together
        return (
            f"the path {str(path)[:24]}... is {size:,} bytes long, and a path may have at most {PATH_MAX:,}; "
            "give a shorter one"
        )
    return None


def home_path(value: str) -> Path:
    """``value`` with a leading ``~`` or ``~user`` expanded, or as written when there is no such home.

    pathlib raised "Could not determine home directory" for ``~nouser/x``, an internal error; a shell
    leaves such a path as it is, and so does this: it is then not found.
    """
    try:
        return Path(value).expanduser()
    except RuntimeError:
        return Path(value)


def write_failed(exc: OSError, path: Path) -> WriteFailed:
    """``exc``, met writing ``path``, in one line: what the OS said and that ``path`` was left as it was."""
    # A name too long for the disk made exists() raise its own OSError here, hiding the first one;
    # no file of such a name can be there.
    was = (
        f"{path.name} is as it was"
        if name_problem(path) is None and path.exists()
        else f"no {path.name} was made"
    )
    full = _FULL.get(exc.errno or 0)
    if full:
        return WriteFailed(
            f"{full} writing {path}; {was}: free some space and run again", param="output", disk_full=True
        )
    return WriteFailed(f"cannot write {path} ({exc.strerror or exc}); {was}", param="output")


def _which(exc: OSError, paths: tuple[Path, ...], temps: list[Path]) -> Path | None:
    """The destination ``exc`` failed to write, or None when it is no writing error (an input unreadable)."""
    named = {str(exc.filename), str(getattr(exc, "filename2", None))}
    for tmp, path in zip(temps, paths, strict=False):
        if str(tmp) in named or str(path) in named:
            return path
    return paths[0] if exc.errno in (*_FULL, errno.EFBIG) else None


def _sync(path: Path) -> None:
    """Flush ``path``'s bytes to the disk: renamed unsynced, a crash soon after could leave an empty file
    under the destination's name, the earlier file gone (and a full disk may only say so here)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def missing_folders(folder: Path) -> list[Path]:
    """``folder`` and the folders above it that do not exist yet, deepest first: what a run is about to make."""
    folder = folder.absolute()
    return [f for f in (folder, *folder.parents) if not f.exists()]


def remove_empty(folders: list[Path]) -> None:
    """Take back folders made for a run that wrote nothing (``missing_folders``), deepest first, each only
    while empty: `-o new/dir/out.mp4` refused or failed left new/dir behind."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:  # something else put a file there, or it is gone: leave it and those above
            return


@contextmanager
def staged(*paths: Path) -> Iterator[list[Path]]:
    """Hidden files beside ``paths`` to write into; once the block ends they replace ``paths``, in order.

    Any exception in the block (Ctrl-C's KeyboardInterrupt included) removes them and leaves
    ``paths`` as they were. An OSError of the writing itself becomes ``WriteFailed``, one line
    naming the file; other errors (an input that cannot be read, say) pass through unchanged.
    Folders on the way are made, and taken back if nothing is written.
    """
    temps: list[Path] = []
    made: list[Path] = []
    try:
        for path in paths:
            try:
                made += missing_folders(path.parent)
                path.parent.mkdir(parents=True, exist_ok=True)
                _sweep_stale(path)
                temps.append(new_file_beside(path))
            except OSError as exc:
                check_writable(
                    path
                )  # says in words what is in the way (callers checked before their work) ...
                raise write_failed(exc, path) from None  # ... else what the OS said (a full disk, say)
        yield list(temps)
        for tmp in temps:
            _sync(tmp)
        # Ctrl-C (and a kill) is held off while the files are renamed: taken between two renames, it left a
        # new video beside the record of the one it replaced. It is acted on once they are all in place.
        with _stops_held():
            for tmp, path in zip(temps, paths, strict=True):
                os.replace(tmp, path)
        for folder in dict.fromkeys(path.parent for path in paths):
            _sync_folder(folder)
    except OSError as exc:
        _remove(temps)
        remove_empty(made)
        failed = _which(exc, paths, temps)
        if failed is None:
            raise
        raise write_failed(exc, failed) from None
    except BaseException:
        _remove(temps)
        remove_empty(made)
        raise


@contextmanager
def _stops_held() -> Iterator[None]:
    """Run the block with SIGINT and SIGTERM noted rather than acted on, then act on them as the handlers
    before would have (a kill, which the CLI unwinds as a Ctrl-C, split the renames as one did).

    Blocking the signals would not do: the kernel gives them to any thread that does not block them
    (encoder and torch threads), and Python then runs their handler in this one at once.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread gets Python's signal handlers (a job worker's thread gets none)
        return
    caught: list[int] = []
    # A handler set outside Python (None) could not be put back: such a signal is left to it.
    held = [sig for sig in (signal.SIGINT, signal.SIGTERM) if signal.getsignal(sig) is not None]
    previous = {sig: signal.signal(sig, lambda signum, frame: caught.append(signum)) for sig in held}
    try:
        yield
    finally:
        for sig in held:
            signal.signal(sig, previous[sig])
        # Each signal that came, once and in the order it came, now reaches the handler put back (the
        # CLI's cancel, a second Ctrl-C's KeyboardInterrupt, a kill's unwinding; the default's exit).
        # Only the first was acted on: a kill that came with a Ctrl-C was lost, and the run outlived it.
        _raise_each(list(dict.fromkeys(caught)))


def _raise_each(signums: list[int]) -> None:
    """Raise ``signums`` here in turn, each even when the handler of the one before raised an exception."""
    if not signums:
        return
    try:
        signal.raise_signal(signums[0])  # its Python handler runs before this returns
    finally:
        _raise_each(signums[1:])


#: A hidden file of an earlier write to the same name, untouched this long, was left by a process that
#: died mid-write (SIGKILL, a power cut): a live write touches its file with every block it encodes.
STALE_AFTER_S = 3600.0


def _sweep_stale(path: Path) -> None:
    """Remove the hidden files earlier writes to ``path`` left when killed, so they do not pile up."""
    mine = re.compile(rf"\.{re.escape(path.stem)}-[0-9a-f]{{12}}{re.escape(path.suffix)}")
    try:
        siblings = list(path.parent.iterdir())
    except OSError:
        return
    for sibling in siblings:
        try:
            if mine.fullmatch(sibling.name) and time.time() - sibling.stat().st_mtime > STALE_AFTER_S:
                sibling.unlink()
        except OSError:
            continue  # gone meanwhile, or not ours to remove: the write goes on regardless


def _sync_folder(folder: Path) -> None:
    """Flush ``folder``'s entries, so the renames survive a power cut (the files' bytes already have).

    A filesystem that cannot sync a folder says so (EINVAL); the files are in place all the same.
    """
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove(temps: list[Path]) -> None:
    for tmp in temps:
        tmp.unlink(missing_ok=True)
