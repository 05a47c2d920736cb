"""The frame-interpolation stage every interpolator shares: timing, scene cuts, batching, progress, the record.

A subclass says how to make the frames between two others (``middles``); this
module decides which frames to make, keeps every source frame, never blends
across a scene cut (a frame there repeats the nearer side), and keeps the
frame rate exact.
"""

from __future__ import annotations

import itertools
from abc import abstractmethod
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

from reelgen.core.enhance.base import Shape, StreamingEnhancer
from reelgen.core.enhance.timing import MAX_FACTOR, check_rates, output_frames, output_rate, timeline
from reelgen.core.enhance.window import Window
from reelgen.core.errors import InvalidRequest
from reelgen.core.progress import Progress
from reelgen.core.rates import parse_rate


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


class Interpolator(StreamingEnhancer):
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
        # Named as asked: "--interpolate: a clip of 1 frame ..." answered a --target-fps never typed so.
        asked = "interpolate" if self.opts.target_fps is None else "target_fps"
        if shape.frames < 1:
            raise InvalidRequest("a clip with no frames cannot be interpolated", param=asked)
        if shape.frames == 1:
            # New frames go between pairs; one frame (a still image read as a clip) would come back
            # unchanged, a silent no-op, so it is refused like an empty clip.
            raise InvalidRequest(
                "a clip of 1 frame (a still image?) cannot be interpolated: new frames go between "
                "pairs of frames; give a clip of 2 frames or more",
                param=asked,
            )
        factor, target = self.opts.rates(shape.fps)
        frames = output_frames(shape.frames, shape.fps, factor, target)
        return Shape(shape.width, shape.height, frames, output_rate(shape.fps, factor, target))

    def prepare(self, device: str, shape: Shape) -> None:
        """Load whatever ``middles`` needs for clips of ``shape``, once per ``apply``."""

    @abstractmethod
    def middles(self, a: np.ndarray, b: np.ndarray, t: np.ndarray) -> np.ndarray:
        """Frames at times ``t`` (B,) in (0, 1) between uint8 frames ``a`` and ``b`` (B, H, W, 3)."""

    def stream(
        self, frames: Iterator[np.ndarray], shape: Shape, progress: Progress, device: str = "cpu"
    ) -> Iterator[np.ndarray]:
        """The output frames in order, holding only the source frames the next batch needs.

        Output frame k shows the source at position k * fps / rate (``timeline``): a
        whole position is that source frame, kept; at a cut the nearer side repeats;
        any other is made, ``batch`` at a time, in the order a whole clip would be.
        """
        self.output_shape(shape)
        factor, target = self.opts.rates(shape.fps)
        step = shape.fps / output_rate(shape.fps, factor, target)
        expected = timeline(shape.frames, shape.fps, factor, target).points
        tracker = progress.stage("interpolate", sum(1 for _, t in expected if t))
        clip = Window(frames, self.opts.scene_threshold)
        cut: set[int] = set()
        judged = 0  # pairs before this one have been judged for cuts
        # Output frames waiting for the batch in front of them: a frame, or the place of a middle in ``todo``.
        waiting: list[np.ndarray | int] = []
        todo: list[tuple[int, float]] = []
        between = made = 0
        for k in itertools.count():
            whole, t = divmod(k * step, 1)
            i = int(whole)
            if not clip.has(i + 1 if t else i):
                break  # past the last source frame
            clip.forget_before(todo[0][0] if todo else i)
            for pair in range(judged, i + 1 if t else i):
                if clip.cut(pair):
                    cut.add(pair)
            judged = max(judged, i + 1 if t else i)
            between += 1 if t else 0
            if t and i not in cut:
                waiting.append(len(todo))
                todo.append((i, float(t)))
            elif todo:
                waiting.append(clip[i] if t < Fraction(1, 2) else clip[i + 1])
            else:  # nothing made waits in front of it
                yield clip[i] if t < Fraction(1, 2) else clip[i + 1]
            if len(todo) == self.opts.batch:
                yield from self._flush(clip, todo, waiting, device, shape, made == 0)
                made, todo, waiting = made + len(todo), [], []
                tracker.advance(step=between)
        yield from self._flush(clip, todo, waiting, device, shape, made == 0)
        tracker.advance(step=between)
        cut.update(pair for pair in range(judged, clip.read - 1) if clip.cut(pair))
        self.details.update({"cuts": sorted(cut), "made": made + len(todo), "device": device})

    def _flush(
        self,
        clip: Window,
        todo: list[tuple[int, float]],
        waiting: list[np.ndarray | int],
        device: str,
        shape: Shape,
        first: bool,
    ) -> Iterator[np.ndarray]:
        """Make the middles of ``todo`` in one call (loading the model for the ``first``) and give out
        the ``waiting`` frames in order."""
        if not todo:
            return
        if first:
            self.prepare(device, shape)
        index = [i for i, _ in todo]
        made = self.middles(
            np.stack([clip[i] for i in index]),
            np.stack([clip[i + 1] for i in index]),
            np.array([t for _, t in todo]),
        )
        for frame in waiting:
            yield made[frame] if isinstance(frame, int) else frame

    def record(self) -> dict[str, Any]:
        return {**super().record(), **self.details}
