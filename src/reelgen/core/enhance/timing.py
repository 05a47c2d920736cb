"""Where interpolated frames fall in time: exact output rates and (source frame, timestep) pairs, pure arithmetic."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from reelgen.core.errors import InvalidRequest
from reelgen.core.types import to_fraction

#: The most frames an interpolator makes between two source frames (x16 is already a slow-motion tool).
MAX_FACTOR = 16


@dataclass(frozen=True)
class Timeline:
    """The frames an interpolator makes: ``fps`` exactly, and for each output frame ``(i, t)``.

    ``(i, t)`` means "between source frames i and i + 1, at fraction t": t == 0
    is source frame i itself. A factor N keeps every source frame and puts N - 1
    new ones between each pair, so n frames become (n - 1) * N + 1. A target
    rate samples the clip's span [0, (n - 1) / fps] at 1 / target steps instead.
    """

    fps: Fraction
    points: tuple[tuple[int, Fraction], ...]

    @property
    def frames(self) -> int:
        return len(self.points)


def output_rate(fps: Fraction, factor: int | None, target_fps: Fraction | None) -> Fraction:
    """The exact output rate: ``fps * factor``, or ``target_fps``."""
    if target_fps is not None:
        return target_fps
    return fps * (factor or 1)


def output_frames(n: int, fps: Fraction, factor: int | None, target_fps: Fraction | None) -> int:
    """How many frames a clip of ``n`` at ``fps`` becomes (see ``Timeline``)."""
    if n <= 1:
        return n
    if target_fps is None:
        return (n - 1) * (factor or 1) + 1
    return math.floor((n - 1) * target_fps / fps) + 1


def timeline(n: int, fps: Fraction, factor: int | None, target_fps: Fraction | None) -> Timeline:
    """Every output frame of a clip of ``n`` frames as a source pair and a timestep, exactly."""
    rate = output_rate(fps, factor, target_fps)
    # Output frame k sits at source position k * fps / rate (in source frames), exactly.
    step = fps / rate
    points: list[tuple[int, Fraction]] = []
    for k in range(output_frames(n, fps, factor, target_fps)):
        position = k * step
        i = min(math.floor(position), n - 1)
        points.append((i, position - i))
    return Timeline(rate, tuple(points))


def check_rates(fps: Fraction, factor: int | None, target_fps: float | Fraction | None) -> Fraction | None:
    """``target_fps`` as an exact rate above ``fps``; InvalidRequest naming the field otherwise."""
    if factor is not None and target_fps is not None:
        raise InvalidRequest(
            "target_fps: give a factor (interpolate) or a rate (target_fps), not both", param="target_fps"
        )
    if factor is not None and not 2 <= factor <= MAX_FACTOR:
        raise InvalidRequest(f"interpolate: factor {factor} must be 2 to {MAX_FACTOR}", param="interpolate")
    if target_fps is None:
        if factor is None:
            raise InvalidRequest(
                "interpolation needs a factor (2, 4 ...) or a target fps", param="interpolate"
            )
        return None
    target = to_fraction(float(target_fps)) if not isinstance(target_fps, Fraction) else target_fps
    if target <= fps:
        raise InvalidRequest(
            f"target_fps {float(target):g} must be above the clip's {float(fps):g} fps; "
            "interpolation only adds frames",
            param="target_fps",
        )
    if target > fps * MAX_FACTOR:
        raise InvalidRequest(
            f"target_fps {float(target):g} is more than {MAX_FACTOR}x the clip's {float(fps):g} fps; "
            f"give a rate above {float(fps):g} and at most {float(fps * MAX_FACTOR):g}",
            param="target_fps",
        )
    return target
