"""The value that crosses every boundary: a Video (uint8 RGB frames, exact fps, optional audio)."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Audio:
    """Sound samples in [-1, 1], shaped (channels, samples)."""

    samples: np.ndarray
    sample_rate: int

    @property
    def seconds(self) -> float:
        return self.samples.shape[-1] / self.sample_rate


@dataclass(frozen=True)
class Video:
    """uint8 RGB frames shaped (T, H, W, 3) at an exact frame rate, with optional audio."""

    frames: np.ndarray
    fps: Fraction
    audio: Audio | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        f = self.frames
        if f.dtype != np.uint8 or f.ndim != 4 or f.shape[-1] != 3:
            raise ValueError(f"Video frames must be uint8 (T, H, W, 3), got {f.dtype} {f.shape}")

    @property
    def num_frames(self) -> int:
        return int(self.frames.shape[0])

    @property
    def width(self) -> int:
        return int(self.frames.shape[2])

    @property
    def height(self) -> int:
        return int(self.frames.shape[1])

    @property
    def seconds(self) -> float:
        return float(self.num_frames / self.fps)


def to_fraction(fps: float | Fraction) -> Fraction:
    """An exact frame rate: 23.976 becomes 24000/1001, 25.0 becomes 25."""
    if isinstance(fps, Fraction):
        return fps
    for ntsc in (24, 30, 60):
        if abs(fps - ntsc * 1000 / 1001) < 1e-3:
            return Fraction(ntsc * 1000, 1001)
    return Fraction(fps).limit_denominator(1001)
