"""Runs a resolved enhancement chain on a Video, or frame by frame on a stream, recording what each stage did."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from reelgen.core.enhance.base import Enhancer, Shape
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


class Streamed:
    """A chain run frame by frame (``stream_chain``): the frames, then what each stage did and when."""

    def __init__(self, stages: list[Enhancer], steps: Sequence[EnhanceStep]) -> None:
        self.stages, self.steps = stages, steps
        self.seconds = [0.0] * (len(stages) + 1)  # time inside each iterator, its inputs' time included
        self.read = 0  # source frames that came in

    def timed(self, frames: Iterator[np.ndarray], level: int) -> Iterator[np.ndarray]:
        while True:
            started = time.monotonic()
            frame = next(frames, None)
            self.seconds[level] += time.monotonic() - started
            if frame is None:
                return
            if level == 0:
                self.read += 1
            yield frame

    def records(self) -> list[dict[str, Any]]:
        """One record per stage; its seconds are its own, the stages before it taken off."""
        return [
            {**stage.record(), "seconds": round(self.seconds[i + 1] - self.seconds[i], 3)}
            for i, stage in enumerate(self.stages)
        ]

    def check(self, source: Shape, made: int) -> Shape:
        """The clip the chain promised for the ``source`` that came in; GenerationFailed if it made another."""
        promised = source
        for stage in self.stages:
            promised = stage.output_shape(promised)
        if made != promised.frames:
            names = "+".join(step.name for step in self.steps)
            raise GenerationFailed(f"enhancers {names} made {made} frames; they promised {promised.frames}")
        return promised


def stream_chain(
    frames: Iterator[np.ndarray], shape: Shape, steps: Sequence[EnhanceStep], progress: Progress, device: str
) -> tuple[Iterator[np.ndarray], Streamed]:
    """The chain's output frames, made as ``frames`` (a clip of ``shape``) come in, and its account.

    Every stage's weights are checked before the first frame is read, as in
    ``run_chain``. ``shape.frames`` is what the container promised; ``Streamed.check``
    compares what came out with what the frames that did come in should make.
    """
    stages = [build(step) for step in steps]
    for enhancer in stages:
        enhancer.preflight()
    run = Streamed(stages, steps)
    frames = run.timed(frames, 0)
    for level, enhancer in enumerate(stages, start=1):
        frames = run.timed(enhancer.stream(frames, shape, progress, device), level)
        shape = enhancer.output_shape(shape)
    return frames, run
