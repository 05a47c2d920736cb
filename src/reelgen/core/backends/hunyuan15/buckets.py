"""The aspect buckets HunyuanVideo 1.5's image-to-video pipeline resizes a start image to, as pure arithmetic."""

from __future__ import annotations

import math
from functools import cache

from reelgen.core.errors import InvalidRequest


@cache
def buckets(target_size: int, step: int = 16, max_ratio: float = 4.0) -> tuple[tuple[int, int], ...]:
    """The (height, width) pairs of about ``target_size``² pixels the i2v pipeline resizes to.

    Same enumeration as HunyuanVideo 1.5's data utils: all side pairs in ``step``
    units whose area fits ``(target_size / step)²`` units, at most ``max_ratio`` long.
    """
    units = round((target_size / step) ** 2)
    out: list[tuple[int, int]] = []
    a, b = units, 1
    while a > 0:
        if max(a, b) / min(a, b) <= max_ratio:
            out.append((a * step, b * step))
        if (b + 1) * a <= units:
            b += 1
        else:
            a -= 1
    return tuple(out)


def closest_bucket(width: int, height: int, target_size: int) -> tuple[int, int]:
    """The (width, height) the i2v pipeline picks for a ``width`` x ``height`` image.

    Mirrors its rule: among the buckets whose height/width lies between the image's and
    square (or beyond square), the one with the nearest ratio; ties go to the first listed.
    """
    aspect = height / width
    candidates = []
    for h, w in buckets(target_size):
        diff = round(h / w, 5) - aspect
        if (diff <= 0) if aspect >= 1 else (diff >= 0):
            candidates.append((abs(diff), h, w))
    _, h, w = min(candidates, key=lambda c: c[0])
    return w, h


def check_bucket(width: int, height: int, target_size: int, model: str) -> None:
    """Raise InvalidRequest naming the nearest valid sizes unless the pipeline would keep ``width`` x ``height``."""
    if closest_bucket(width, height, target_size) == (width, height):
        return
    valid = [(w, h) for h, w in buckets(target_size) if closest_bucket(w, h, target_size) == (w, h)]
    near = sorted(valid, key=lambda s: abs(math.log(s[1] / s[0]) - math.log(height / width)))[:2]
    raise InvalidRequest(
        f"size {width}x{height} is not one of {model}'s image-to-video sizes (it resizes the "
        f"image to the bucket nearest its aspect ratio); nearest valid: "
        f"{' or '.join(f'{w}x{h}' for w, h in near)}",
        param="width",
    )
