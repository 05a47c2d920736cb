"""What a preset's refusals say: the speed that fits, rounded down to three digits, and an image too small for any."""

from __future__ import annotations

import math

from reelgen.core.motion.check import EDGE, LIMITS, CropTooSmall, MotionTooFast


class CropShrunk(CropTooSmall):
    """A preset so fast that its tightest crop is magnified past the limit, with ``ceiling``, the speed that
    keeps this limit. ``Motion.path`` names one that keeps every limit (a step may still be too fast at the
    ceiling, and the person was then refused a second time, at the speed they were told would do)."""

    def __init__(self, what: str, ceiling: float, tail: str, *, param: str) -> None:
        super().__init__(f"{what}; {speed_remedy(ceiling)}, {tail}", param=param)
        self.what, self.ceiling, self.tail = what, ceiling, tail


class TravelTooFar(MotionTooFast):
    """A pan so fast it would travel past the share of the image a pan may cross, with ``ceiling``, the
    speed that keeps this limit; ``Motion.path`` names one that keeps every limit (rounded to two places,
    the speed said was over the limit or 0.00, and one under it could still step too far a frame)."""

    def __init__(self, what: str, ceiling: float, tail: str, *, param: str) -> None:
        super().__init__(f"{what}; {speed_remedy(ceiling)}{tail}", param=param)
        self.what, self.ceiling, self.tail = what, ceiling, tail


def speed_remedy(fits: float) -> str:
    """The speed to use, as every preset's refusal says it."""
    return f"use a speed of at most {at_most(fits)} for this clip"


def image_too_small(
    crop: tuple[float, float], least: float, output_size: tuple[int, int], param: str
) -> CropTooSmall:
    """An image whose widest crop of the output's shape leaves a preset nothing to move in, at any speed."""
    out = f"{output_size[0]}x{output_size[1]}"
    widest = f"the image's widest crop of the output's shape, {crop[0]:.4g}x{crop[1]:.4g}"
    if crop[0] + EDGE >= least:  # exactly at the limit: it fits, but nothing is left to move in
        said = (
            f"{widest}, is {least:.0f} px wide, so the {out} output magnifies it the most it may "
            f"({LIMITS.max_upscale:g}x) with no room left to move"
        )
    else:
        said = (
            f"{widest}, is under {least:.0f} px wide, so the {out} output would magnify it more than "
            f"{LIMITS.max_upscale:g}x before any move"
        )
    return CropTooSmall(f"{param}: {said}; give a larger image or a smaller output", param=param)


def at_most(value: float) -> str:
    """``value`` to three significant digits, rounded down: a speed said to fit must fit."""
    digits = 2 - math.floor(math.log10(value))
    # A hair over, for 1.14 * 100 = 113.99999999999999, which said 1.13 of a speed of 1.14.
    return f"{math.floor(value * 10**digits * (1 + 1e-12)) / 10**digits:g}"
