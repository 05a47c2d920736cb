"""Named camera moves (pan, tilt, zoom, dolly, arc) with a speed, and the ``Motion`` a request or manifest gives.

A preset becomes a ``CameraPath`` once the image and output sizes and the
clip's length are known: speed 1 pans across 8 % of the image a second and
zooms 15 % a second; speed 2 does twice that.
"""

from __future__ import annotations

import math
from enum import StrEnum

from pydantic import ConfigDict, Field, model_validator

from reelgen.core.motion.check import (
    EDGE,
    LIMITS,
    CropTooSmall,
    MotionError,
    MotionTooFast,
    check_path,
    fastest_step,
    too_fast,
)
from reelgen.core.motion.path import CameraPath, Easing, Rect
from reelgen.core.motion.speed import CropShrunk, TravelTooFar, at_most, image_too_small, speed_remedy
from reelgen.core.spec.numbers import NumberFields


class MotionPreset(StrEnum):
    """Named camera moves. Directions are the camera's: pan-right shows what lies to the right."""

    PAN_LEFT = "pan-left"
    PAN_RIGHT = "pan-right"
    TILT_UP = "tilt-up"
    TILT_DOWN = "tilt-down"
    ZOOM_IN = "zoom-in"
    ZOOM_OUT = "zoom-out"
    DOLLY_IN = "dolly-in"
    DOLLY_OUT = "dolly-out"
    ARC_LEFT = "arc-left"
    ARC_RIGHT = "arc-right"


#: At speed 1, pans and tilts travel this fraction of the image's width (height) a second ...
PAN_PER_SECOND = 0.08
#: ... and zooms change the scale by this much a second (compounded, so every second looks alike).
ZOOM_PER_SECOND = 0.15
#: A dolly pushes half again as hard as a zoom and travels toward the upper third, where faces and horizons
#: usually sit. A crop has no parallax, so a dolly here is a travelling zoom, not a true camera move.
DOLLY_FACTOR = 1.5
DOLLY_TARGET = (0.5, 1 / 3)
#: An arc lifts the centre at mid-path by this fraction of its sideways travel (orbit-like).
ARC_LIFT = 0.25
#: A pan may travel at most this fraction of the image: the crop needs the rest.
MAX_TRAVEL = 0.75


def largest_crop(width: float, height: float, aspect: float) -> tuple[float, float]:
    """The largest width x height of ``aspect`` (w/h) that fits in ``width`` x ``height``."""
    if width / height > aspect:
        return height * aspect, height
    return width, width / aspect


def _travel(preset: MotionPreset, side: int, seconds: float, speed: float, param: str) -> float:
    distance = PAN_PER_SECOND * speed * seconds * side
    if distance > MAX_TRAVEL * side:
        raise TravelTooFar(
            f"{param}.speed: {preset.value} at speed {speed:g} would travel {distance:.0f} px in "
            f"{seconds:.2f} s, more than {MAX_TRAVEL:.0%} of the image's {side} px",
            MAX_TRAVEL / (PAN_PER_SECOND * seconds),
            "",
            param=f"{param}.speed",
        )
    return distance


def _room(preset: MotionPreset, size: tuple[int, int], output_size: tuple[int, int], param: str) -> float:
    """How far a pan may travel and keep a crop the output magnifies at most the limit; refused where the
    image has no such room at any speed (before the speed is blamed: no speed would do).

    Checked here rather than by ``check_path``, which blamed the start crop and asked for a larger one:
    a preset's crops are not the person's to change, the image and the speed are.
    """
    width, height = size
    aspect = output_size[0] / output_size[1]
    least = max(LIMITS.min_crop, output_size[0] / LIMITS.max_upscale)
    if preset in (MotionPreset.TILT_UP, MotionPreset.TILT_DOWN):
        room = height - least / aspect
    else:
        room = width - least
        if preset in (MotionPreset.ARC_LEFT, MotionPreset.ARC_RIGHT):  # an arc's lift eats into the height
            room = min(room, (height - least / aspect) / ARC_LIFT)
    if largest_crop(width, height, aspect)[0] + EDGE < least or room <= EDGE:
        raise image_too_small(largest_crop(width, height, aspect), least, output_size, param)
    return room


def _check_room(
    preset: MotionPreset,
    size: tuple[int, int],
    output_size: tuple[int, int],
    travel: float,
    clip: tuple[float, float],
    param: str,
) -> None:
    """Refuse a pan whose crop, shrunk to leave room for ``travel``, the output would blow up past the limit."""
    room = _room(preset, size, output_size, param)
    if travel <= room + EDGE:
        return
    seconds, speed = clip
    least = max(LIMITS.min_crop, output_size[0] / LIMITS.max_upscale)
    what = (
        f"{param}.speed: {preset.value} at speed {speed:g} travels {travel:.0f} px in {seconds:.2f} s, which "
        f"leaves a crop under {least:.0f} px wide on the {size[0]}x{size[1]} image, magnified more than "
        f"{LIMITS.max_upscale:g}x by the {output_size[0]}x{output_size[1]} output"
    )
    raise CropShrunk(what, speed * room / travel, "a shorter clip, or a larger image", param=f"{param}.speed")


def _pan(
    preset: MotionPreset,
    size: tuple[int, int],
    output_size: tuple[int, int],
    seconds: float,
    speed: float,
    param: str,
) -> CameraPath:
    """Pans and arcs travel sideways; tilts up and down. The crop is the largest that leaves room to travel."""
    width, height = size
    aspect = output_size[0] / output_size[1]
    vertical = preset in (MotionPreset.TILT_UP, MotionPreset.TILT_DOWN)
    _room(preset, size, output_size, param)  # an image too small for any speed, said before a speed is named
    d = _travel(preset, height if vertical else width, seconds, speed, param)
    lift = ARC_LIFT * d if preset in (MotionPreset.ARC_LEFT, MotionPreset.ARC_RIGHT) else 0.0
    _check_room(preset, size, output_size, d, (seconds, speed), param)
    if vertical:
        cw, ch = largest_crop(width, height - d, aspect)
        x = (width - cw) / 2
        top, bottom = Rect(x=x, y=0, width=cw, height=ch), Rect(x=x, y=d, width=cw, height=ch)
        first, last = (bottom, top) if preset is MotionPreset.TILT_UP else (top, bottom)
        return CameraPath(start=first, end=last)
    cw, ch = largest_crop(width - d, height - lift, aspect)
    y = lift + (height - lift - ch) / 2
    left, right = Rect(x=0, y=y, width=cw, height=ch), Rect(x=d, y=y, width=cw, height=ch)
    first, last = (right, left) if preset in (MotionPreset.PAN_LEFT, MotionPreset.ARC_LEFT) else (left, right)
    return CameraPath(start=first, end=last, arc=-lift if lift else 0.0)


def _zoom(
    preset: MotionPreset,
    size: tuple[int, int],
    output_size: tuple[int, int],
    seconds: float,
    speed: float,
    param: str,
) -> CameraPath:
    """Zooms close in on the centre at a steady rate; dollies push harder, toward the upper third."""
    width, height = size
    dolly = preset in (MotionPreset.DOLLY_IN, MotionPreset.DOLLY_OUT)
    rate = ZOOM_PER_SECOND * (DOLLY_FACTOR if dolly else 1.0)
    cw, ch = largest_crop(width, height, output_size[0] / output_size[1])
    factor = math.exp(_zoom_depth(preset, cw, ch, output_size, seconds, speed, math.log1p(rate), param))
    wide = Rect.centred(width / 2, height / 2, cw, ch)
    cx, cy = wide.centre
    if dolly:  # travel toward the target as far as the tighter crop allows inside the wide one
        pull = 1 - 1 / factor
        cx += (DOLLY_TARGET[0] * width - cx) * pull
        cy += (DOLLY_TARGET[1] * height - cy) * pull
    tight = Rect.centred(cx, cy, cw / factor, ch / factor)
    zooming_in = preset in (MotionPreset.ZOOM_IN, MotionPreset.DOLLY_IN)
    # A lens zooms at a constant rate; a dolly starts and stops like a camera on a track.
    easing = Easing.EASE_IN_OUT if dolly else Easing.LINEAR
    return CameraPath(start=wide if zooming_in else tight, end=tight if zooming_in else wide, easing=easing)


def _zoom_depth(
    preset: MotionPreset,
    cw: float,
    ch: float,
    output_size: tuple[int, int],
    seconds: float,
    speed: float,
    log_rate: float,
    param: str,
) -> float:
    """The log of a zoom's scale change, refused (blaming the speed) where its tight crop would be magnified
    past the limit: a preset's crops are not the person's to change, and a long clip overflowed a float."""
    depth = speed * seconds * log_rate
    least = max(LIMITS.min_crop, output_size[0] / LIMITS.max_upscale)
    room = math.log(cw / least) if cw > least else 0.0
    if depth <= room:
        return depth
    out = f"{output_size[0]}x{output_size[1]}"
    if room <= 0:
        raise image_too_small((cw, ch), least, output_size, param)
    what = (
        f"{param}.speed: {preset.value} at speed {speed:g} over {seconds:.2f} s zooms further than this image "
        f"allows: its tightest crop would be under {least:.0f} px wide, magnified more than "
        f"{LIMITS.max_upscale:g}x by the {out} output"
    )
    raise CropShrunk(what, speed * room / depth, "or a shorter clip", param=f"{param}.speed")


def preset_path(
    preset: MotionPreset,
    image_size: tuple[int, int],
    output_size: tuple[int, int],
    seconds: float,
    speed: float,
    param: str = "motion",
) -> CameraPath:
    """The camera path of ``preset`` on an image of ``image_size`` for an output of ``output_size``."""
    if preset in (MotionPreset.ZOOM_IN, MotionPreset.ZOOM_OUT, MotionPreset.DOLLY_IN, MotionPreset.DOLLY_OUT):
        return _zoom(preset, image_size, output_size, seconds, speed, param)
    return _pan(preset, image_size, output_size, seconds, speed, param)


class Motion(NumberFields):  # a speed of true was taken as 1
    """A camera move over a keyframe: a named ``preset`` at ``speed``, or explicit ``start`` and ``end`` crops."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    preset: MotionPreset | None = Field(default=None, description="a named move; or give start and end")
    speed: float = Field(default=1.0, gt=0, le=10, description="1: pans 8% of the image a second")
    start: Rect | None = Field(default=None, description="first crop, in the keyframe's pixels")
    end: Rect | None = Field(default=None, description="last crop, in the keyframe's pixels")
    easing: Easing | None = Field(default=None, description="default: linear for zooms, else ease-in-out")
    arc: float = Field(default=0.0, description="pixels the centre rises (-) or drops (+) at mid-path")

    @model_validator(mode="after")
    def _one_way(self) -> Motion:
        if self.preset is None and (self.start is None or self.end is None):
            raise ValueError("give a preset (pan-left, zoom-in ...) or both start and end crops")
        if self.preset is not None and (self.start is not None or self.end is not None):
            raise ValueError("give a preset or start and end crops, not both")
        if self.preset is not None and self.arc:  # was ignored: a pan asked to arc came out straight, unsaid
            raise ValueError(
                f"arc {self.arc:g} bends a path of start and end crops, and a preset moves as named; drop arc, use "
                "arc-left or arc-right (they rise through the middle), or give start and end crops"
            )
        return self

    @property
    def label(self) -> str:
        return f"{self.preset.value} at speed {self.speed:g}" if self.preset else "custom path"

    def path(
        self,
        image_size: tuple[int, int],
        output_size: tuple[int, int],
        num_frames: int,
        fps: float,
        *,
        param: str = "motion",
    ) -> CameraPath:
        """The camera path on this image for this output, checked (``MotionError`` if it cannot render well)."""
        seconds = max(num_frames - 1, 1) / fps
        if self.preset is None:
            assert self.start is not None and self.end is not None
            if (
                self.speed != 1
            ):  # was ignored: the crops' pace is theirs (AnimateDiff reads it as LoRA strength)
                raise MotionError(
                    f"{param}.speed: speed {self.speed:g} paces a preset, and a path of start and end crops goes "
                    "from one to the other over the clip at their own pace; drop speed, or move the crops "
                    "(further apart is faster)",
                    param=f"{param}.speed",
                )
            path = CameraPath(
                start=self.start, end=self.end, easing=self.easing or Easing.EASE_IN_OUT, arc=self.arc
            )
            check_path(path, image_size, output_size, num_frames, param=param)
            return path
        try:
            path = self._preset_path(image_size, output_size, seconds, self.speed, param)
        except CropShrunk as exc:
            fits = self._fitting_speed(image_size, output_size, num_frames, fps, exc.ceiling)
            raise CropTooSmall(f"{exc.what}; {speed_remedy(fits)}, {exc.tail}", param=exc.param) from None
        except TravelTooFar as exc:
            fits = self._fitting_speed(image_size, output_size, num_frames, fps, exc.ceiling)
            raise MotionTooFast(f"{exc.what}; {speed_remedy(fits)}", param=exc.param) from None
        try:
            check_path(path, image_size, output_size, num_frames, param=param, speed_param=f"{param}.speed")
        except MotionTooFast:
            worst = fastest_step(path.rects(num_frames))
            assert worst is not None  # check_path found a step over the limit
            fits = self._fitting_speed(image_size, output_size, num_frames, fps, self.speed)
            # Not "more frames": a preset moves so far a second, so a longer clip at this rate steps as far
            # a frame (a pan further: its crop shrinks to leave room to travel). More frames a second help.
            raise MotionTooFast(
                f"{param}.speed: {self.label}: {too_fast(worst)}; {speed_remedy(fits)}, or a frame rate above "
                f"{fps:g} fps",
                param=f"{param}.speed",
            ) from None
        return path

    def _preset_path(
        self,
        image_size: tuple[int, int],
        output_size: tuple[int, int],
        seconds: float,
        speed: float,
        param: str,
    ) -> CameraPath:
        assert self.preset is not None
        path = preset_path(self.preset, image_size, output_size, seconds, speed, param)
        return path if self.easing is None else path.model_copy(update={"easing": self.easing})

    def _fitting_speed(
        self,
        image_size: tuple[int, int],
        output_size: tuple[int, int],
        num_frames: int,
        fps: float,
        ceiling: float,
    ) -> float:
        """The fastest speed up to ``ceiling`` at which the preset renders well, bisected to three digits.

        A preset's crops are not the person's to move, so the speed is what to
        name; and one that fits every limit, not only the one broken first (a
        pan's crop shrinks as it speeds up, so its steps grow faster than it).
        """
        seconds = max(num_frames - 1, 1) / fps

        def fits(speed: float) -> bool:
            try:
                path = self._preset_path(image_size, output_size, seconds, speed, "motion")
            except MotionError:
                return False
            return fastest_step(path.rects(num_frames)) is None

        high = float(at_most(ceiling))
        if fits(high):  # the ceiling of the limit broken first keeps the others too (one look at each frame)
            return high
        low = high / 2
        for _ in range(64):  # steps shrink with the speed, so some speed fits; 64 halvings reach 1e-18
            if fits(low):
                break
            low, high = low / 2, low
        for _ in range(
            40
        ):  # until the three digits said are the fastest's (a limit exactly on them: 40 halvings)
            if at_most(low) == at_most(high):
                break
            middle = (low + high) / 2
            low, high = (middle, high) if fits(middle) else (low, middle)
        return low


def dominant_move(path: CameraPath) -> tuple[str, float]:
    """The strongest component of a path as (move, amount): zoom-in/out, pan-left/right or tilt-up/down.

    Amounts are in the units ``step_size`` uses (frames of travel, log-scale of zoom).
    """
    (x0, y0), (x1, y1) = path.start.centre, path.end.centre
    moves = {
        ("zoom-in" if path.end.width < path.start.width else "zoom-out"): abs(
            math.log(path.end.width / path.start.width)
        ),
        ("pan-right" if x1 > x0 else "pan-left"): abs(x1 - x0) / path.start.width,
        ("tilt-down" if y1 > y0 else "tilt-up"): abs(y1 - y0) / path.start.height,
    }
    move = max(moves, key=lambda k: moves[k])
    return move, moves[move]
