"""Whose record a ``NAME.json`` beside a video is: reelgen's at all, and of which video beside it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def read_record(path: Path) -> dict[str, Any] | None:
    """The video record reelgen wrote at ``path`` (a JSON object naming reelgen's version and its
    output), or None where it is something else: a person's notes, a storyboard, a shoot-out's
    ``report.json`` (which names the version too, but is no video's record)."""
    try:
        if path.stat().st_size > 64 * 2**20:  # records are kilobytes; never read a big file to say no
            return None
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    if (
        isinstance(data, dict)
        and isinstance(data.get("reelgen"), str)
        and isinstance(data.get("output"), dict)
    ):
        return data
    return None


def owner(record: Path, video: Path) -> Path | None:
    """The other video beside ``video`` (same name, another container) whose record ``record`` is, or None.

    ``reelgen enhance in.mp4 -o out.gif`` beside an earlier ``out.mp4`` replaced that video's
    ``out.json``: the sidecar then described the GIF, and out.mp4 had none. Told apart by the time
    the record was made, which the video carries in its container too.
    """
    from reelgen.core.encode import CONTAINERS, read_metadata
    from reelgen.core.errors import InvalidRequest

    data = read_record(record)
    made = data.get("created_at") if data is not None else None
    if not isinstance(made, str):
        return None
    for suffix in {s for known in CONTAINERS for s in (known, known.upper())}:
        other = video.with_suffix(suffix)
        if other.suffix.lower() == video.suffix.lower() or not other.is_file():
            continue  # the video itself, written again, replaces its own record
        try:
            if read_metadata(other).get("created_at") == made:
                return other
        except InvalidRequest:
            continue
    return None


def replaced_note(video: Path) -> str | None:
    """The warning, before ``video`` is written, that its record replaces that of another video beside it
    (``owner``), or None: ``-o out.gif`` beside ``out.mp4`` replaced out.mp4's ``out.json`` without a word."""
    record = video.with_suffix(".json")
    other = owner(record, video) if record.exists() else None
    if other is None:
        return None
    return (
        f"warning: {record.name}, the record of {other.name}, becomes {video.name}'s; {other.name} still "
        f"carries its own inside it (`reelgen replay {other.name}` reads it)"
    )
