"""The frame-interpolation stage every interpolator shares: timing, scene cuts, batching, progress, the record.

A subclass says how to make the frames between two others (``middles``); this
module decides which frames to make, keeps every source frame, never blends
across a scene cut (a frame there repeats the nearer side), and keeps the
frame rate exact.
"""

from __future__ import annotations

from abc import abstractmethod
from fractions import Fraction
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

from reelgen.core.enhance.base import Enhancer, Shape
from reelgen.core.enhance.scenes import cuts
from reelgen.core.enhance.timing import MAX_FACTOR, check_rates, output_frames, output_rate, timeline
from reelgen.core.errors import InvalidRequest
from reelgen.core.progress import Progress
from reelgen.core.rates import parse_rate
from reelgen.core.types import Video


class InterpolateOptions(BaseModel):
    """How many frames to make: a factor (x2, x4 ...) or a target rate, and how cuts are found."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)  # NaN is "not finite", not out of range

    factor: int | None = Field(default=None, ge=2, le=MAX_FACTOR, description="x2, x4 ... (default 2)")
    target_fps: str | None = Field(
        default=None, description="Exact output rate instead of a factor, e.g. '60' or '60000/1001'"
    )
    scene_threshold: float = Field(
        default=0.35,
        ge=0.0,
        le=2.0,
        description="Cut sensitivity (thumbnail + histogram change); 0 turns it off",
    )
    batch: int = Field(default=8, ge=1, le=256, description="Frame pairs per model call")

    @field_validator("target_fps", mode="before")
    @classmethod
    def _rate_text(cls, value: Any) -> Any:
        """Numbers are kept as text so an exact rate (48000/1001) survives JSON unchanged."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return f"{value:g}" if isinstance(value, float) else str(value)
        return value

    def rates(self, fps: Fraction) -> tuple[int | None, Fraction | None]:
        """(factor, target rate) checked against a clip at ``fps``; factor 2 when neither is given."""
        target = None
        if self.target_fps is not None:
            try:
                target = parse_rate(self.target_fps)
            except ValueError:
                raise InvalidRequest(
                    f"target_fps {self.target_fps!r} is not a frame rate; give e.g. 60 or 60000/1001",
                    param="target_fps",
                ) from None
        factor = self.factor if self.factor is not None or target is not None else 2
        return factor, check_rates(fps, factor, target)


def _rows(frames: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``frames[index]``, as a view when the indices run consecutively (x2 and x4 batches do), not a copy."""
    first = int(index[0])
    if np.array_equal(index, np.arange(first, first + len(index))):
        return frames[first : first + len(index)]
    return frames[index]


class Interpolator(Enhancer):
    """Base of the interpolators: subclasses implement ``middles`` (and ``prepare`` to load a model)."""

    stage = "interpolate"
    options_model = InterpolateOptions

    def __init__(self, options: BaseModel | None = None) -> None:
        super().__init__(options)
        self.details: dict[str, Any] = {}

    @property
    def opts(self) -> InterpolateOptions:
        assert isinstance(self.options, InterpolateOptions)
        return self.options

    def output_shape(self, shape: Shape) -> Shape:
        if shape.frames < 1:
            raise InvalidRequest("a clip with no frames cannot be interpolated", param="interpolate")
        if shape.frames == 1:
            # New frames go between pairs; one frame (a still image read as a clip) would come back
            # unchanged, a silent no-op, so it is refused like an empty clip.
            raise InvalidRequest(
                "a clip of 1 frame (a still image?) cannot be interpolated: new frames go between "
                "pairs of frames; give a clip of 2 frames or more",
                param="interpolate",
            )
        factor, target = self.opts.rates(shape.fps)
        frames = output_frames(shape.frames, shape.fps, factor, target)
        return Shape(shape.width, shape.height, frames, output_rate(shape.fps, factor, target))

    def prepare(self, device: str, shape: Shape) -> None:
        """Load whatever ``middles`` needs for clips of ``shape``, once per ``apply``."""

    @abstractmethod
    def middles(self, a: np.ndarray, b: np.ndarray, t: np.ndarray) -> np.ndarray:
        """Frames at times ``t`` (B,) in (0, 1) between uint8 frames ``a`` and ``b`` (B, H, W, 3)."""

    def apply(self, video: Video, progress: Progress, device: str = "cpu") -> Video:
        self.output_shape(Shape(video.width, video.height, video.num_frames, video.fps))
        factor, target = self.opts.rates(video.fps)
        plan = timeline(video.num_frames, video.fps, factor, target)
        frames = video.frames
        # 1. Where the shots change: frames there repeat the nearer side instead of blending two shots.
        cut = cuts(frames, self.opts.scene_threshold)
        out = np.empty((plan.frames, *frames.shape[1:]), dtype=np.uint8)
        todo: list[tuple[int, int, float]] = []
        for k, (i, t) in enumerate(plan.points):
            if t == 0:
                out[k] = frames[i]
            elif i in cut:
                out[k] = frames[i] if t < Fraction(1, 2) else frames[i + 1]
            else:
                todo.append((k, i, float(t)))
        # 2. Make the new frames in batches, reporting each one.
        tracker = progress.stage("interpolate", len(todo))
        if todo:
            self.prepare(device, Shape(video.width, video.height, video.num_frames, video.fps))
        for start in range(0, len(todo), self.opts.batch):
            chunk = todo[start : start + self.opts.batch]
            index = np.array([i for _, i, _ in chunk])
            made = self.middles(
                _rows(frames, index), _rows(frames, index + 1), np.array([t for _, _, t in chunk])
            )
            out[[k for k, _, _ in chunk]] = made
            tracker.advance(step=start + len(chunk))
        self.details.update({"cuts": sorted(cut), "made": len(todo), "device": device})
        return Video(out, plan.fps, video.audio, dict(video.extra))

    def record(self) -> dict[str, Any]:
        return {**super().record(), **self.details}
