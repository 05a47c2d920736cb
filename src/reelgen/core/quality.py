"""Generic clip checks: black, NaN, frozen and flashing frames, flicker, and temporal SSIM.

Every generated video gets these in its metadata. Black and NaN frames are
fatal (a model that produced NaN decodes to black): such a clip is never
written or marked completed. The others are reported, since a still scene
can be frozen on purpose and a lightning storm flashes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from reelgen.core.types import Video

#: A frame whose brightest pixel is at most this (of 255) is black.
BLACK_LEVEL = 4
#: Consecutive frames whose mean absolute difference is below this (of 255) do not move.
FROZEN_DIFF = 0.5
#: A still run at least this long (and a quarter of the clip) is reported as frozen.
FROZEN_MIN_RUN = 4
#: A change of mean luma (of 255) this large, and 4x the clip's typical change, is a flash.
FLASH_JUMP = 40.0
#: Flicker (mean |second difference| of mean luma, of 255) above this is reported.
FLICKER_LIMIT = 6.0
#: Frames are shrunk to at most this side before SSIM, so the check costs little on 4K clips.
SSIM_SIDE = 128


@dataclass(frozen=True)
class QualityReport:
    """What the checks found; ``fatal`` when the clip must not be delivered."""

    metrics: dict[str, Any]
    problems: list[str] = field(default_factory=list)
    fatal: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"metrics": self.metrics, "problems": list(self.problems), "fatal": self.fatal}


def luma(frames: np.ndarray) -> np.ndarray:
    """Per-pixel BT.601 luma of uint8 RGB frames (T, H, W, 3), as float32 in 0..255."""
    weights = np.array([0.299, 0.587, 0.114], dtype=np.float32)
    return frames.astype(np.float32) @ weights


def black_frames(frames: np.ndarray) -> list[int]:
    peak = frames.reshape(frames.shape[0], -1).max(axis=1)
    return [int(i) for i in np.flatnonzero(peak <= BLACK_LEVEL)]


def frozen_runs(frames: np.ndarray) -> list[tuple[int, int]]:
    """Runs of frames that do not change, as (first frame, length), long enough to notice."""
    if len(frames) < 2:
        return []
    diffs = np.abs(np.diff(frames.astype(np.int16), axis=0)).reshape(len(frames) - 1, -1).mean(axis=1)
    still = diffs < FROZEN_DIFF
    least = max(FROZEN_MIN_RUN, len(frames) // 4)
    runs, start = [], None
    for i, s in enumerate([*still, False]):
        if s and start is None:
            start = i
        elif not s and start is not None:
            length = i - start + 1  # n still steps join n+1 frames
            if length >= least:
                runs.append((start, length))
            start = None
    return runs


def flash_frames(mean_luma: np.ndarray) -> list[int]:
    """Frames whose brightness jumps far beyond the clip's usual frame-to-frame change."""
    if len(mean_luma) < 3:
        return []
    jumps = np.abs(np.diff(mean_luma))
    typical = float(np.median(jumps))
    return [int(i) + 1 for i in np.flatnonzero((jumps > FLASH_JUMP) & (jumps > 4 * typical))]


def flicker(mean_luma: np.ndarray) -> float:
    """Mean absolute second difference of brightness: steady fades score 0, strobing scores high."""
    if len(mean_luma) < 3:
        return 0.0
    return float(np.abs(np.diff(mean_luma, n=2)).mean())


def temporal_ssim(frames: np.ndarray) -> list[float]:
    """SSIM of each frame with the next, on luma shrunk to at most ``SSIM_SIDE`` pixels a side."""
    from skimage.metrics import structural_similarity

    if len(frames) < 2:
        return []
    stride = max(1, max(frames.shape[1], frames.shape[2]) // SSIM_SIDE)
    small = luma(frames[:, ::stride, ::stride])
    if min(small.shape[1:]) < 7:  # SSIM's window; clips this small are compared whole
        return [float(1.0 - np.abs(a - b).mean() / 255.0) for a, b in zip(small, small[1:], strict=False)]
    return [
        float(structural_similarity(a, b, data_range=255.0)) for a, b in zip(small, small[1:], strict=False)
    ]


def _listed(frames: list[int]) -> str:
    return ", ".join(str(i) for i in frames[:8]) + (" ..." if len(frames) > 8 else "")


def assess(video: Video) -> QualityReport:
    """Run every check on ``video``; NaN frames are those its producer recorded in ``extra``."""
    frames = video.frames
    mean_luma = luma(frames).reshape(len(frames), -1).mean(axis=1)
    nan = sorted(int(i) for i in video.extra.get("nan_frames", ()))
    black = black_frames(frames)
    frozen = frozen_runs(frames)
    flashes = flash_frames(mean_luma)
    flick = flicker(mean_luma)
    ssim = temporal_ssim(frames)
    problems = []
    if nan:
        problems.append(f"{len(nan)} frame(s) held NaN values (frames {_listed(nan)})")
    if black:
        problems.append(
            f"{len(black)} black frame(s) (frames {_listed(black)}); a model that produces NaN values "
            "decodes to black (try bfloat16 or float32 instead of float16, or another seed)"
        )
    problems += [f"frames {s}..{s + n - 1} do not move (frozen)" for s, n in frozen]
    if flashes:
        problems.append(f"brightness jumps at frames {_listed(flashes)} (flash)")
    if flick > FLICKER_LIMIT:
        problems.append(f"brightness flickers (index {flick:.1f}, limit {FLICKER_LIMIT:g})")
    metrics = {
        "frames": int(len(frames)),
        "black_frames": black,
        "nan_frames": nan,
        "frozen_runs": [list(r) for r in frozen],
        "flash_frames": flashes,
        "flicker": round(flick, 3),
        "temporal_ssim_mean": round(float(np.mean(ssim)), 4) if ssim else None,
        "temporal_ssim_min": round(float(np.min(ssim)), 4) if ssim else None,
        "mean_luma": round(float(mean_luma.mean()), 2),
    }
    return QualityReport(metrics, problems, fatal=bool(nan or black))
