"""A source's non-square pixels (DV's, HDV's, a broadcast recording's) kept, or made square where the output cannot say."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import numpy as np
from PIL import Image

#: Outputs with no way to say their pixels' shape from here: a GIF has none, and WebM keeps it only in
#: Matroska's display size, which PyAV cannot set (VP9 itself carries none; H.264 does, in MP4, MOV, MKV).
SQUARE_ONLY = (".gif", ".webm")


def square_size(width: int, height: int, aspect: Fraction) -> tuple[int, int]:
    """``width`` x ``height`` pixels shown ``aspect`` times as wide as high, in square pixels (even sides).

    The side that grows is stretched, none shrinks: no detail of the enhanced frames is lost.
    """
    if aspect > 1:
        width = round(width * aspect)
    else:
        height = round(height / aspect)
    return width + width % 2, height + height % 2


def squared(frames: Iterator[np.ndarray], size: tuple[int, int]) -> Iterator[np.ndarray]:
    """``frames`` resized to ``size`` (width, height): their non-square pixels made square."""
    for frame in frames:
        yield square(frame, size)


def square(frame: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    if (frame.shape[1], frame.shape[0]) == size:
        return frame
    return np.asarray(Image.fromarray(frame).resize(size, Image.Resampling.LANCZOS))


def square_note(source: str, output: Path, aspect: Fraction, size: tuple[int, int]) -> str:
    """What was done for an output in ``SQUARE_ONLY``, in a person's words."""
    kind = "a GIF" if output.suffix.lower() == ".gif" else "a WebM (VP9) written here"
    return (
        f"{source}'s pixels are {aspect.numerator}:{aspect.denominator} (width:height) and {kind} has square "
        f"ones: its frames were resized to {size[0]}x{size[1]} so they show as wide as the source's"
    )
