"""Camera paths over a still image: a crop rectangle moving from a start to an end rectangle, eased.

Pure data and arithmetic (no images): the Ken Burns render, the start and end
frames given to keyframe models and the motion companion file all read the
same ``CameraPath``. Rectangles are in the source image's pixels.
"""

from __future__ import annotations

import math
from enum import StrEnum

from pydantic import ConfigDict, Field

from reelgen.core.spec.numbers import NumberFields


class Rect(NumberFields):
    """A crop rectangle: top-left corner (``x``, ``y``) and size, in the image's pixels."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    x: float
    y: float
    width: float = Field(gt=0)
    height: float = Field(gt=0)

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.width / 2, self.y + self.height / 2

    @property
    def aspect(self) -> float:
        return self.width / self.height

    def box(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom), as Pillow takes a box."""
        return self.x, self.y, self.right, self.bottom

    def describe(self) -> str:
        return f"{self.width:.6g}x{self.height:.6g} at ({round(self.x, 1):g}, {round(self.y, 1):g})"

    @classmethod
    def centred(cls, cx: float, cy: float, width: float, height: float) -> Rect:
        return cls(x=cx - width / 2, y=cy - height / 2, width=width, height=height)


class Easing(StrEnum):
    """How the camera speeds up and slows down between the two rectangles."""

    LINEAR = "linear"
    EASE_IN = "ease-in"
    EASE_OUT = "ease-out"
    EASE_IN_OUT = "ease-in-out"


def ease(easing: Easing, t: float) -> float:
    """Progress along the path (0..1) at time ``t`` (0..1).

    Quadratic ease-in/out and smoothstep for both: gentle curves whose top speed
    is 2x (1.5x for ease-in-out) the linear speed, so a path checked for speed
    does not need much headroom.
    """
    if easing is Easing.EASE_IN:
        return t * t
    if easing is Easing.EASE_OUT:
        return 1 - (1 - t) ** 2
    if easing is Easing.EASE_IN_OUT:
        return t * t * (3 - 2 * t)
    return t


class CameraPath(NumberFields):
    """A move from ``start`` to ``end``: the centre travels in a line (bent by ``arc``), the size zooms.

    The size changes geometrically, so a zoom looks steady rather than
    speeding up as the crop shrinks. ``arc`` lifts (negative) or drops the
    centre at mid-path by that many pixels, for orbit-like moves.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    start: Rect
    end: Rect
    easing: Easing = Easing.EASE_IN_OUT
    arc: float = 0.0

    def at(self, t: float) -> Rect:
        """The crop at time ``t`` in 0..1 (0 is exactly ``start``, 1 exactly ``end``)."""
        if t <= 0:
            return self.start
        if t >= 1:
            return self.end
        s = ease(self.easing, t)
        (x0, y0), (x1, y1) = self.start.centre, self.end.centre
        cx = x0 + (x1 - x0) * s
        # The arc's weight (at most 1) first: an arc near the largest float, times 4, was infinite.
        cy = y0 + (y1 - y0) * s + self.arc * (4 * s * (1 - s))
        width = self.start.width * (self.end.width / self.start.width) ** s
        height = self.start.height * (self.end.height / self.start.height) ** s
        x, y = cx - width / 2, cy - height / 2
        if all(map(math.isfinite, (x, y, width, height))) and width > 0 and height > 0:
            # Between two valid crops, built without validating again: 9 us a crop was most of the
            # time an hour-long path (86,401 crops) took to check. Arithmetic gone past a float is
            # left to the validation, which refuses it as it did.
            return Rect.model_construct(x=x, y=y, width=width, height=height)
        return Rect(x=x, y=y, width=width, height=height)

    def rects(self, num_frames: int) -> list[Rect]:
        """One crop per frame; the first frame is ``start`` and the last ``end``."""
        if num_frames == 1:
            return [self.start]
        return [self.at(i / (num_frames - 1)) for i in range(num_frames)]


def step_size(a: Rect, b: Rect) -> tuple[float, float]:
    """How far the picture moves from crop ``a`` to crop ``b``, as the viewer sees it.

    Returns (shift, zoom): the centre's travel as a fraction of the frame
    (1.0 = a whole frame width), and the change of scale as |log(size ratio)|.
    """
    (x0, y0), (x1, y1) = a.centre, b.centre
    shift = math.hypot((x1 - x0) / a.width, (y1 - y0) / a.height)
    zoom = abs(math.log(b.width / a.width))
    return shift, zoom
