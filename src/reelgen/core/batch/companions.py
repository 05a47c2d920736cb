"""The files next to each batch output: ``<name>.video_meta.json`` (what, how, metrics) and ``<name>.motion.json``.

``video_meta.json`` is written last, so its presence with the item's content
key is what marks an item finished: a run killed between the video and it
makes that item again next time.
"""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

from reelgen.core.batch.plan import PlannedItem
from reelgen.core.encode import write_json_atomic

#: Bumped when the companion layout changes.
META_VERSION = 1


def finished(planned: PlannedItem) -> dict[str, Any] | None:
    """The item's ``video_meta.json`` when an earlier run finished it with the same content key, else None."""
    meta_path, video = planned.meta_path, Path(planned.video)
    if not (meta_path.is_file() and video.is_file()):
        return None
    try:
        meta = json.loads(meta_path.read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("key") != planned.key or meta.get("status") != "done":
        return None
    # A video cut short or replaced since (a copy stopped part way, another file saved over it) was kept as
    # finished; its size as written says so. A meta from before this field is trusted as it was.
    size = meta.get("video_bytes")
    if isinstance(size, int) and video.stat().st_size != size:
        return None
    # A companion deleted since (the clip's record, its camera path) was left missing by a run that
    # said "4 of 4 done": making the item again puts back every file the batch promises.
    if not (video.with_suffix(".json").is_file() and planned.motion_path.is_file()):
        return None
    # Where the video is now: a batch folder moved (or copied) since was summarised with the paths it
    # was made at, where nothing may be any more.
    return {**meta, "video_path": str(video)}


def _rate(fps: Any) -> float:
    """A record's frame rate ("24", "24000/1001") as the number a reader of the meta expects."""
    return round(float(Fraction(str(fps))), 3)


def video_meta(planned: PlannedItem, record: dict[str, Any]) -> dict[str, Any]:
    """What was generated, how, and how it measured, from the plan and the render's record."""
    video = Path(planned.video)
    request = record.get("request") or record.get("ken_burns") or {}
    return {
        "version": META_VERSION,
        "key": planned.key,
        "status": "done",
        "output": planned.output,
        "video": video.name,
        "video_path": str(video),
        "video_bytes": video.stat().st_size if video.is_file() else None,
        "record": video.with_suffix(".json").name,
        "finished_at": dt.datetime.now(dt.UTC).isoformat(),
        "generated": {
            "model": planned.model,
            "prompt": planned.prompt,
            "images": list(planned.images),
            "seed": request.get("seed"),
            "width": record["output"]["width"],
            "height": record["output"]["height"],
            "frames": record["output"]["frames"],
            "fps": _rate(record["output"]["fps"]),
            "motion": (planned.motion or {}).get("label", "still camera"),
        },
        "how": {
            "kind": record.get("kind", "render"),
            "task": request.get("task"),
            "conditioning": {k: (planned.motion or {}).get(k) for k in ("how", "note")}
            if planned.motion
            else None,
            "stages": record.get("stages"),
            "memory_plan": record.get("memory_plan"),
            "request": request,
        },
        "metrics": {
            "quality": record.get("quality"),
            "viability": planned.viability,
            "timings": record.get("timings"),
            "peak_vram_gib": record.get("peak_vram_gib"),
            "device": (record.get("device") or {}).get("device"),
        },
    }


def write_companions(planned: PlannedItem, record: dict[str, Any]) -> dict[str, Any]:
    """Write ``<name>.motion.json`` then ``<name>.video_meta.json`` (the finished mark); returns the meta."""
    motion = planned.motion or {"motion": None, "label": "still camera", "path": None, "how": "none"}
    write_json_atomic(planned.motion_path, {"version": META_VERSION, "output": planned.output, **motion})
    meta = video_meta(planned, record)
    write_json_atomic(planned.meta_path, meta)
    return meta
