"""The video beside a file replay was given that is not that video's record (a damaged sidecar, a batch's notes)."""

from __future__ import annotations

from pathlib import Path

from reelgen.core.encode import CONTAINERS

#: The files reelgen writes videos as.
VIDEOS = tuple(CONTAINERS)


def video_instead(sidecar: Path) -> str:
    """Where a damaged sidecar's video is beside it, that it carries the same record: replay that."""
    for suffix in VIDEOS:
        video = sidecar.with_suffix(suffix)
        if video.is_file():
            return f"; replay its video instead, which carries the same record: reelgen replay {video}"
    return ""


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
