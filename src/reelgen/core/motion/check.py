"""Checks a camera path against its image and output: inside the image, big enough, right shape, not too fast.

Each violation is its own error class (and ``code``), with ``param`` naming the
field at fault, and a message saying what would be right.
"""

from __future__ import annotations

from dataclasses import dataclass

from reelgen.core.errors import InvalidRequest
from reelgen.core.motion.path import CameraPath, Easing, Rect, step_size


class MotionError(InvalidRequest):
    """A camera path that cannot be rendered as asked."""

    code = "invalid_motion"


class CropOutOfBounds(MotionError):
    """A crop rectangle reaches outside the image."""

    code = "motion_out_of_bounds"


class CropTooSmall(MotionError):
    """A crop rectangle is so small the output would be blown up into a blur."""

    code = "motion_crop_too_small"


class AspectMismatch(MotionError):
    """A crop rectangle's shape differs from the output's, so the picture would be stretched."""

    code = "motion_aspect_mismatch"


class MotionTooFast(MotionError):
    """The camera moves or zooms more per frame than reads as smooth motion."""

    code = "motion_too_fast"


@dataclass(frozen=True)
class Limits:
    """What a path may do.

    A crop is magnified at most ``max_upscale`` times (past 4x, resampling shows
    as blur) and is never under ``min_crop`` pixels a side. Per frame, the view
    moves at most ``max_shift`` of the frame (5 %: a whole frame in 20 frames,
    under a second, already a whip pan) and zooms at most ``max_zoom`` (4 %).
    Aspect ratios agree to ``aspect_tolerance`` (1 %: one pixel in a hundred).
    """

    min_crop: int = 16
    max_upscale: float = 4.0
    max_shift: float = 0.05
    max_zoom: float = 0.04
    aspect_tolerance: float = 0.01


LIMITS = Limits()
#: Slack for floating point at the image's edges (an eased rectangle can land 1e-12 outside).
EDGE = 1e-6


def check_path(
    path: CameraPath,
    image_size: tuple[int, int],
    output_size: tuple[int, int],
    num_frames: int,
    *,
    param: str = "motion",
    speed_param: str | None = None,
    limits: Limits = LIMITS,
) -> None:
    """Raise the specific ``MotionError`` for the first thing wrong with ``path``; None if it renders well.

    ``speed_param`` names the field to blame for a path that is too fast (a
    preset's ``speed``); by default the end rectangle.
    """
    for name, rect in (("start", path.start), ("end", path.end)):
        _check_aspect(rect, output_size, f"{param}.{name}", limits)
        _check_size(rect, output_size, f"{param}.{name}", limits)
        _check_inside(rect, image_size, f"{param}.{name}")
    rects = path.rects(num_frames)
    if path.arc:  # an arc bends between the ends; every frame must stay inside
        for i, rect in enumerate(rects):
            _check_inside(rect, image_size, f"{param}.arc", f"at frame {i}, the arc's crop")
    _check_speed(path, rects, num_frames, speed_param or f"{param}.end", limits)


def _px(value: float) -> str:
    """Pixels as a person reads them: whole, or in three digits where a hostile crop made them hundreds long."""
    return f"{value:.0f}" if 1 <= abs(value) < 1e9 else f"{value:.3g}"


def _ratio(value: float) -> str:
    """An aspect ratio in three decimals, or three digits where a crop 1e308 wide made it 309 long
    (and one 1e-300 high "0.000", as though it had no width)."""
    return f"{value:.3f}" if 1e-3 <= value < 1e6 else f"{value:.3g}"


def _times(value: float) -> str:
    return f"{value:.1f}x" if value < 1e6 else f"{value:.3g}x"


def _check_aspect(rect: Rect, output_size: tuple[int, int], param: str, limits: Limits) -> None:
    width, height = output_size
    wanted = width / height
    if abs(rect.aspect / wanted - 1) <= limits.aspect_tolerance:
        return
    raise AspectMismatch(
        f"{param}: the crop {rect.width:g}x{rect.height:g} has aspect ratio {_ratio(rect.aspect)} but the output "
        f"{width}x{height} has {_ratio(wanted)}, so the picture would be stretched; make the crop "
        f"{rect.width:g}x{_px(rect.width / wanted)} or {_px(rect.height * wanted)}x{rect.height:g}",
        param=param,
    )


def _check_size(rect: Rect, output_size: tuple[int, int], param: str, limits: Limits) -> None:
    least = max(limits.min_crop, output_size[0] / limits.max_upscale)
    if rect.width + EDGE >= least:
        return
    raise CropTooSmall(
        f"{param}: the crop {rect.width:g}x{rect.height:g} is too small: the {output_size[0]}x"
        f"{output_size[1]} output would magnify it {_times(output_size[0] / rect.width)} (at most "
        f"{limits.max_upscale:g}x, and never under {limits.min_crop} px); make it at least "
        f"{_px(least)}x{_px(least * rect.height / rect.width)}",
        param=param,
    )


def _check_inside(rect: Rect, image_size: tuple[int, int], param: str, where: str = "the crop") -> None:
    width, height = image_size
    outside = [
        f"{_px(-rect.x)} px past the left edge" if rect.x < -EDGE else "",
        f"{_px(-rect.y)} px past the top edge" if rect.y < -EDGE else "",
        f"{_px(rect.right - width)} px past the right edge" if rect.right > width + EDGE else "",
        f"{_px(rect.bottom - height)} px past the bottom edge" if rect.bottom > height + EDGE else "",
    ]
    reasons = [r for r in outside if r]
    if not reasons:
        return
    raise CropOutOfBounds(
        f"{param}: {where} {rect.describe()} reaches outside the {width}x{height} image "
        f"({', '.join(reasons)}); crops must lie within x 0..{width} and y 0..{height}",
        param=param,
    )


def fastest_step(rects: list[Rect], limits: Limits = LIMITS) -> tuple[int, str, str, float] | None:
    """The step that breaks a speed limit worst, as (frame, what it does, the limit, how far over); None if none.

    The worst rather than the first: an eased path is slowest at its ends, so the
    first step over the limit understated by far how fast the middle moves.
    """
    worst: tuple[int, str, str, float] | None = None
    for i in range(1, len(rects)):
        shift, zoom = step_size(rects[i - 1], rects[i])
        for amount, limit, what in (
            (shift, limits.max_shift, f"moves {shift:.1%} of the frame"),
            (zoom, limits.max_zoom, f"zooms {zoom:.1%}"),
        ):
            over = amount / limit
            # Of steps alike but for rounding (a linear path), the first is named.
            if amount > limit + EDGE and (worst is None or over > worst[3] * (1 + 1e-9)):
                worst = (i, what, f"{limit:.0%}", over)
    return worst


def too_fast(worst: tuple[int, str, str, float]) -> str:
    """What the fastest step does, against the limit, as a message says it."""
    i, what, limit, _ = worst
    return (
        f"the camera {what} between frames {i - 1} and {i} (at most {limit} a frame reads as smooth motion)"
    )


def _check_speed(path: CameraPath, rects: list[Rect], num_frames: int, param: str, limits: Limits) -> None:
    worst = fastest_step(rects, limits)
    if worst is None:
        return
    # A path of two crops has no speed to lower (a preset's is said by ``Motion.path``).
    linear = "" if path.easing is Easing.LINEAR else "ease linearly, "
    raise MotionTooFast(
        f"{param}: {too_fast(worst)}; bring the start and end crops closer, {linear}"
        f"or give the clip more than {num_frames} frames",
        param=param,
    )
