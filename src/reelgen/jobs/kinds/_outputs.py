"""A finished child's clip and record copied out of the job store to the name a batch or shoot-out gives it.

A worker renders from its own copies of the input files, so the record it
writes names those copies. The copy placed beside the clip names the files the
request was made from, as an in-process run's record does, so ``reelgen
replay`` works from it.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from reelgen.core.atomic import staged
from reelgen.core.encode import dump_json
from reelgen.core.errors import ReelgenError, WriteFailed
from reelgen.jobs.records import Job


class OutputUnavailable(ReelgenError):
    """A finished child's files cannot be copied into place (removed by retention, or the folder is not writable)."""

    code = "output_unavailable"


def child_record(child: Job) -> dict[str, Any]:
    """The record a completed child's worker wrote (its ``video.json``), as its result keeps it."""
    record = (child.result or {}).get("metadata")
    return dict(record) if isinstance(record, dict) else {}


def child_video(child: Job) -> Path:
    """The MP4 of a completed child; ``OutputUnavailable`` when it is gone."""
    name = ((child.result or {}).get("files") or {}).get("video")
    path = Path(name) if name and not child.data_removed else None
    if path is None or not path.is_file():
        raise OutputUnavailable(
            f"the video of {child.id} was removed before it could be copied out; run the item again"
        )
    return path


def with_inputs(
    record: dict[str, Any], field: str, request: dict[str, Any], files: list[tuple[str, str]]
) -> dict[str, Any]:
    """``record`` with ``record[field]`` set to the original ``request`` and each input named by its original path."""
    inputs = {k: dict(v) for k, v in (record.get("inputs") or {}).items() if isinstance(v, dict)}
    for param, path in files:
        if param in inputs:
            inputs[param]["path"] = path
    return {**record, field: request, "inputs": inputs}


def place(child: Job, video: Path, record: dict[str, Any]) -> None:
    """Copy the child's MP4 to ``video`` and ``record`` to the sidecar beside it, each all or nothing."""
    source = child_video(child)
    try:
        # Together or not at all, as encode.write_clip writes a clip and its record.
        with staged(video, video.with_suffix(".json")) as (video_file, record_file):
            shutil.copyfile(source, video_file)
            dump_json(record_file, record)
    except WriteFailed as exc:  # a full disk: the writer says so, naming the file
        raise OutputUnavailable(exc.message, param="output_folder") from None
    except OSError as exc:
        raise OutputUnavailable(
            f"could not write {video} ({exc.strerror or exc})", param="output_folder"
        ) from None
