"""The file ``-o`` named when it was there before the run, so a run stopped with Ctrl-C or a kill says it is as it was."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

#: Where, in the command line's Click context (``meta``, shared by a group and its command), the note is kept.
_NOTE = "reelgen.output_before"


def _context() -> Any:
    try:  # typer 0.2x runs on its own copy of click: click's own context stack is empty there
        from typer._click.globals import get_current_context
    except ImportError:
        from click import get_current_context  # type: ignore[no-redef]

    return get_current_context(silent=True)


def _stamp(path: Path) -> tuple[int, int, int, int] | None:
    """What tells a file from one put in its place: a replace gives another inode, a write another time."""
    try:
        seen = path.stat()
    except (OSError, ValueError):
        return None
    if not path.is_file():
        return None
    return seen.st_dev, seen.st_ino, seen.st_size, seen.st_mtime_ns


def note_output(path: Path) -> None:
    """Remember ``path``, as ``-o`` named it, when a file of that name is there before the run."""
    context = _context()
    if context is None:
        return
    path = Path(os.path.expanduser(path))
    stamp = _stamp(path)
    if stamp is None:
        context.meta.pop(_NOTE, None)
    else:
        context.meta[_NOTE] = (path, stamp)


def forget_output() -> None:
    """Drop the note: with several takes ``-o x.mp4`` names x-1.mp4 ..., never a file the run writes."""
    context = _context()
    if context is not None:
        context.meta.pop(_NOTE, None)


def kept(said: str, context: Any = None) -> str:
    """``said`` with ``; NAME is as it was`` when ``-o`` named a file there before the run and it is untouched.

    A full disk said so ("a.mp4 is as it was"), a stop said only "no file was written", which left a
    person to wonder whether the earlier a.mp4 went with it. Said only when true: the file is the one
    that was there (same inode, size and time), not one the run put in its place.
    """
    context = context if context is not None else _context()
    noted = None if context is None else context.meta.get(_NOTE)
    if noted is None:
        return said
    path, stamp = noted
    if _stamp(path) != stamp:
        return said
    return f"{said}; {path.name} is as it was"
