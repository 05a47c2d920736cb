"""A finished child's clip and record copied out of the job store to the name a batch or shoot-out gives it.

A worker renders from its own copies of the input files, so the record it
writes names those copies. The copy placed beside the clip names the files the
request was made from, as an in-process run's record does, so ``reelgen
replay`` works from it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from reelgen.core.encode import new_file_beside, write_sidecar
from reelgen.core.errors import ReelgenError
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
        video.parent.mkdir(parents=True, exist_ok=True)
        partial = new_file_beside(video)
        try:
            shutil.copyfile(source, partial)
            os.replace(partial, video)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        write_sidecar(video, record)
    except OSError as exc:
        raise OutputUnavailable(
            f"could not write {video} ({exc.strerror or exc})", param="output_folder"
        ) from None
