"""Runs a resolved enhancement chain on a Video, recording what each stage did and how long it took."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from reelgen.core.enhance.base import Shape
from reelgen.core.enhance.registry import build
from reelgen.core.errors import GenerationFailed
from reelgen.core.progress import Progress
from reelgen.core.spec.request import EnhanceStep
from reelgen.core.types import Video


def run_chain(
    video: Video, steps: Sequence[EnhanceStep], progress: Progress, device: str = "cpu"
) -> tuple[Video, list[dict[str, Any]]]:
    """Apply each step in order; returns the final clip and one record per stage.

    Every stage's weights are checked (``Enhancer.preflight``) before the first
    one runs. A stage whose output is not the shape it promised is a bug in that
    stage, reported as such rather than written.
    """
    records: list[dict[str, Any]] = []
    stages = [build(step) for step in steps]
    for enhancer in stages:
        enhancer.preflight()
    for step, enhancer in zip(steps, stages, strict=True):
        promised = enhancer.output_shape(Shape(video.width, video.height, video.num_frames, video.fps))
        started = time.monotonic()
        video = enhancer.apply(video, progress, device)
        got = Shape(video.width, video.height, video.num_frames, video.fps)
        if got != promised:
            raise GenerationFailed(
                f"enhancer {step.name} made {got.frames} frames of {got.width}x{got.height} at {got.fps} fps; "
                f"it promised {promised.frames} of {promised.width}x{promised.height} at {promised.fps}"
            )
        records.append({**enhancer.record(), "seconds": round(time.monotonic() - started, 3)})
    return video, records
