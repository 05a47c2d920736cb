"""The video beside a file replay was given that is not that video's record (a damaged sidecar, a batch's notes)."""

from __future__ import annotations

import re
from pathlib import Path

from reelgen.core.encode import CONTAINERS

#: The files reelgen writes videos as.
VIDEOS = tuple(CONTAINERS)


def video_instead(sidecar: Path) -> str:
    """Where a damaged sidecar's video is beside it, that it carries the same record: replay that.

    Videos that differ only in their container share one ``NAME.json``, the record of the one written
    last: with out.mp4 and out.gif beside it, naming the first found named out.mp4 where the sidecar
    was out.gif's. The time the record was made, where it can still be read in the damaged text, tells
    which, as ``record_owner.owner`` tells a whole record's; where it cannot, each is named, as each
    carries its own record.
    """
    videos = [video for suffix in VIDEOS if (video := sidecar.with_suffix(suffix)).is_file()]
    if not videos:
        return ""
    if len(videos) > 1 and (mine := _made_with(sidecar, videos)) is not None:
        videos = [mine]
    if len(videos) == 1:
        return f"; replay its video instead, which carries the same record: reelgen replay {videos[0]}"
    named = " or ".join(f"reelgen replay {video}" for video in videos)
    return f"; replay one of the videos beside it instead, each carries its own record: {named}"


def _made_with(sidecar: Path, videos: list[Path]) -> Path | None:
    """The one of ``videos`` whose record's time of making the damaged ``sidecar`` still says, or None."""
    from reelgen.core.encode import read_metadata
    from reelgen.core.errors import InvalidRequest

    try:
        if sidecar.stat().st_size > 64 * 2**20:  # records are kilobytes; never read a big file for a hint
            return None
        found = _CREATED.search(sidecar.read_text(errors="replace"))
    except OSError:
        return None
    if found is None:
        return None
    mine = []
    for video in videos:
        try:
            if read_metadata(video).get("created_at") == found.group(1):
                mine.append(video)
        except InvalidRequest:
            continue
    return mine[0] if len(mine) == 1 else None


#: Where a record says when it was made, in JSON text that may be cut short after it.
_CREATED = re.compile(r'"created_at"\s*:\s*"([^"\\]+)"')


def companion_of(path: Path) -> Path | None:
    """The video a batch item's ``NAME.motion.json`` or ``NAME.video_meta.json`` sits beside, if it is there."""
    for tail in (".motion.json", ".video_meta.json"):
        if path.name.endswith(tail):
            base = path.name[: -len(tail)]
            return next((v for s in VIDEOS if (v := path.with_name(base + s)).is_file()), None)
    return None


def sidecar_instead(video: Path) -> str:
    """Where a video that carries no record (re-encoded by another tool) has its sidecar beside it: replay that."""
    sidecar = video.with_suffix(".json")
    if sidecar.is_file() and sidecar != video:
        return f"; its sidecar holds the record: reelgen replay {sidecar}"
    return ""
