"""Generic clip checks: black, NaN, frozen and flashing frames, flicker, and temporal SSIM.

Every generated video gets these in its metadata. Black and NaN frames are
fatal (a model that produced NaN decodes to black): such a clip is never
written or marked completed. The others are reported, since a still scene
can be frozen on purpose and a lightning storm flashes.

Frames are compared as block averages, in runs of frames on several threads, so
a long 4K clip costs a few frames' summaries, not a float copy of the whole clip.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from reelgen.core.types import Video

#: A frame whose brightest pixel is at most this (of 255) is black. NaN decodes to exactly 0;
#: real dark scenes (night, a dim room) keep some highlight or noise above 4 somewhere.
BLACK_LEVEL = 4

#: Frames are compared as means of STILL_BLOCK x STILL_BLOCK pixel blocks, in RGB (a red object
#: on green can have the same luma as its background, so luma alone would miss it moving).
STILL_BLOCK = 8
#: Two frames are the same picture when no block's mean colour changes by more than this (of 255).
#: An edge of contrast 40 moving one pixel changes its block by 40 / 8 = 5, so 2 separates "nothing
#: moved" from small real motion (a talking head, a slow drift) that a whole-frame mean difference
#: would call still. Pixel noise of standard deviation s moves a block's mean by about s / 6 from frame
#: to frame, and the most of a frame's thousands of blocks by 4 times that: a still picture under noise
#: of up to 2 levels is found frozen; under heavier noise (3 levels) it reads as moving.
STILL_LEVEL = 2.0
#: A run of unchanged frames is reported once it lasts this long: shorter holds happen in real
#: footage (the end of a gesture), half a second of nothing at all reads as a stalled clip. A
#: shorter clip is reported when none of it moves.
FROZEN_SECONDS = 0.5
#: ... and is at least this many frames, so clips at a few frames per second are not reported
#: for a single repeated frame (a whole clip of fewer frames that never moves is).
FROZEN_MIN_RUN = 4

#: A frame's mean luma, and each of its mean red, green and blue, is compared with the median of the
#: FLASH_WINDOW frames around it (a frame of another colour at the same brightness is a flash too). The
#: median follows fades and hard cuts (a cut is a step, and the middle of a window across a step
#: is on one side of it), but not a burst of up to 3 frames, which is what a flash is.
FLASH_WINDOW = 7
#: A frame this much brighter or darker (mean luma or a channel's mean, of 255) than that median
#: is a flash: about 16 % of the range. Exposure drift and moving shadows in real footage change the mean by a few
#: levels; the planted flashes a broken decode makes are tens of levels.
FLASH_JUMP = 40.0

#: Flicker is the median |second difference| of mean luma, or of a channel's mean where that is more
#: (a clip strobing red and green at one brightness): 0 for steady footage, pans and fades (their
#: brightness and colour change smoothly), 4a for a clip whose brightness alternates by +-a. The median
#: ignores a single flash or cut (those are counted above). 6 means alternating by +-1.5 levels,
#: about 1 % of the range, which is visible on large flat areas; smooth real footage stays below 1.
FLICKER_LIMIT = 6.0

#: Frames are shrunk (block means) to at most this side before SSIM, so 4K clips cost little;
#: SSIM's 7-pixel window still sees structure at 128 pixels.
SSIM_SIDE = 128
#: SSIM needs a 7x7 window; frames smaller than that get no SSIM at all rather than a stand-in.
SSIM_WINDOW = 7

_LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)


@dataclass(frozen=True)
class QualityReport:
    """What the checks found; ``fatal`` when the clip must not be delivered."""

    metrics: dict[str, Any]
    problems: list[str] = field(default_factory=list)
    fatal: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"metrics": self.metrics, "problems": list(self.problems), "fatal": self.fatal}


def luma(frames: np.ndarray) -> np.ndarray:
    """Per-pixel BT.601 luma of uint8 RGB frames (..., 3), as float32 in 0..255."""
    return np.asarray(frames, dtype=np.float32) @ _LUMA


def black_frames(frames: np.ndarray) -> list[int]:
    """Indices of frames with no pixel brighter than ``BLACK_LEVEL``."""
    if len(frames) == 0:
        return []
    peak = frames.reshape(frames.shape[0], -1).max(axis=1)
    return [int(i) for i in np.flatnonzero(peak <= BLACK_LEVEL)]


def _block_means(frame: np.ndarray, block: int) -> np.ndarray:
    """Mean of each ``block`` x ``block`` tile of an (H, W, C) uint8 frame; a ragged edge is dropped."""
    block = max(1, min(block, frame.shape[0], frame.shape[1]))
    h, w, c = frame.shape[0] // block * block, frame.shape[1] // block * block, frame.shape[2]
    # Integer sums in two passes, rows first: each pass adds whole contiguous rows, which numpy
    # vectorises, where one mean over the two strided axes ran pixel by pixel (0.7 s of a 121-frame
    # 768x512 clip, now 0.1). uint16 holds a block of up to 16 x 16 uint8 pixels exactly.
    acc = np.uint16 if block * block * 255 < 2**16 else np.uint32
    rows = frame[:h, :w].reshape(h // block, block, w * c).sum(axis=1, dtype=acc)
    sums = rows.reshape(h // block, w // block, block, c).sum(axis=2, dtype=acc)
    return sums.astype(np.float32) / np.float32(block * block)


def _mean_colour(frame: np.ndarray) -> np.ndarray:
    """Mean of each channel of an (H, W, C) uint8 frame, summed row-wise as in ``_block_means``."""
    height, width, c = frame.shape
    columns = frame.reshape(height, width * c).sum(axis=0, dtype=np.uint32)
    return columns.reshape(width, c).sum(axis=0, dtype=np.uint64) / (height * width)


def frozen_runs(still: list[bool] | np.ndarray, least: int = FROZEN_MIN_RUN) -> list[tuple[int, int]]:
    """Runs of at least ``least`` unchanged frames, as (first frame, length).

    ``still[i]`` says frame ``i + 1`` is the same picture as frame ``i``.
    """
    runs, start = [], None
    for i, same in enumerate([*still, False]):
        if same and start is None:
            start = i
        elif not same and start is not None:
            length = i - start + 1  # n unchanged steps join n + 1 frames
            if length >= least:
                runs.append((start, length))
            start = None
    return runs


def held_runs(frames: np.ndarray, runs: list[tuple[int, int]], least: int) -> list[tuple[int, int]]:
    """The parts of ``runs`` (unchanged frame to frame) whose frames also stay the picture they began as.

    A slow drift (a gentle Ken Burns zoom, a slow fade) changes each frame too
    little to see, but the picture a second later is plainly another: that is
    motion, not a stall. Each run is walked from an anchor frame; a frame past
    ``STILL_LEVEL`` of it starts a new anchor, and held stretches of at least
    ``least`` frames are kept. Only frames inside candidate runs are measured again.
    """
    held = []
    for start, length in runs:
        first, anchor = start, _block_means(frames[start], STILL_BLOCK)
        for i in range(start + 1, start + length + 1):
            blocks = _block_means(frames[i], STILL_BLOCK) if i < start + length else None
            if blocks is not None and np.abs(blocks - anchor).max() <= STILL_LEVEL:
                continue
            if i - first >= least:
                held.append((first, i - first))
            if blocks is not None:
                first, anchor = i, blocks
    return held


def flash_frames(mean_luma: np.ndarray) -> list[int]:
    """Frames much brighter or darker than the median of the frames around them.

    The clip's ends are padded with their own value, so a flash in the very first
    or last frame cannot be told from a cut there and is not reported.
    """
    if len(mean_luma) < 3:
        return []
    half = FLASH_WINDOW // 2
    padded = np.pad(np.asarray(mean_luma, dtype=np.float64), half, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, FLASH_WINDOW)
    baseline = np.median(windows, axis=1)
    return [int(i) for i in np.flatnonzero(np.abs(mean_luma - baseline) > FLASH_JUMP)]


def flicker(mean_luma: np.ndarray) -> float:
    """Median |second difference| of mean luma (or of a channel's mean): steady footage scores 0,
    strobing scores high."""
    if len(mean_luma) < 3:
        return 0.0
    return float(np.median(np.abs(np.diff(np.asarray(mean_luma, dtype=np.float64), n=2))))


@dataclass(frozen=True)
class _Changes:
    """Flashes and flicker, in brightness and in colour at about the same brightness."""

    flashes: list[int]
    colour_flashes: list[int]
    #: The flicker index: brightness's, or the worst channel's where that is more.
    flicker: float
    #: Whether colour alone puts the index over its limit (brightness stays under it).
    colour_flicker: bool


def _changes(mean_colour: np.ndarray) -> _Changes:
    """Flashes and flicker from each frame's mean colour ``(frames, 3)``. Luma alone missed a clip that
    strobes red and green at one brightness: it passed clean and scored as a still, steady clip."""
    mean_luma = mean_colour @ _LUMA.astype(np.float64)
    channels = [mean_colour[:, c] for c in range(mean_colour.shape[1])]
    bright = flash_frames(mean_luma)
    colour = sorted({i for channel in channels for i in flash_frames(channel)} - set(bright))
    luma_flicker = flicker(mean_luma)
    worst = max([luma_flicker, *(flicker(channel) for channel in channels)])
    return _Changes(bright, colour, worst, luma_flicker <= FLICKER_LIMIT < worst)


def _flash_line(flashes: list[int], brightness: bool) -> str:
    one = len(flashes) == 1  # "frames 12 are ... around them" of a single frame
    what = (
        f"{'is' if one else 'are'} much brighter or darker than"
        if brightness
        else f"{'changes' if one else 'change'} colour sharply from"
    )
    return (
        f"frame{'' if one else 's'} {_listed(flashes)} {what} those around {'it' if one else 'them'} (flash)"
    )


def _ssim(a: np.ndarray, b: np.ndarray) -> float:
    from skimage.metrics import structural_similarity

    return float(structural_similarity(a, b, data_range=255.0, win_size=SSIM_WINDOW))


@dataclass
class _Scan:
    """Per-frame measurements gathered in one pass over the clip."""

    mean_colour: list[np.ndarray] = field(default_factory=list)
    still: list[bool] = field(default_factory=list)
    ssim: list[float] = field(default_factory=list)


def scan_threads(frames: int) -> int:
    """Threads for a clip of ``frames`` frames: numpy's reductions release the GIL, so runs of
    frames scan in parallel (a 121-frame 768x512 clip took 0.5 s on one core of the H200 machine)."""
    return max(1, min(8, os.cpu_count() or 1, frames // 8))


def _scan(frames: np.ndarray) -> _Scan:
    """Mean colour of each frame; whether and how much each frame differs from the one before."""
    side = max(frames.shape[1], frames.shape[2])
    ssim_block = math.ceil(side / SSIM_SIDE)
    ssim_ok = min(frames.shape[1], frames.shape[2]) // ssim_block >= SSIM_WINDOW

    def run(start: int, stop: int) -> _Scan:
        """Frames ``start``..``stop - 1``, each compared with the one before it (so a run after
        the first measures its predecessor once more): only two frames' summaries are alive."""
        scan = _Scan()
        previous: tuple[np.ndarray, np.ndarray] | None = None
        for i in range(max(0, start - 1), stop):
            frame = frames[i]
            blocks = _block_means(frame, STILL_BLOCK)
            small = _block_means(frame, ssim_block) @ _LUMA
            if i >= start:
                scan.mean_colour.append(_mean_colour(frame))
                if previous is not None:
                    scan.still.append(bool(np.abs(blocks - previous[0]).max() <= STILL_LEVEL))
                    if ssim_ok:
                        scan.ssim.append(_ssim(previous[1], small))
            previous = (blocks, small)
        return scan

    count = len(frames)
    threads = scan_threads(count)
    bounds = [count * k // threads for k in range(threads + 1)]
    with ThreadPoolExecutor(threads) as pool:
        runs = list(pool.map(run, bounds[:-1], bounds[1:]))
    return _Scan(
        mean_colour=[v for r in runs for v in r.mean_colour],
        still=[v for r in runs for v in r.still],
        ssim=[v for r in runs for v in r.ssim],
    )


def _listed(frames: list[int]) -> str:
    return ", ".join(str(i) for i in frames[:8]) + (" ..." if len(frames) > 8 else "")


def _problems(
    nan: list[int], black: list[int], frozen: list[tuple[int, int]], changes: _Changes
) -> list[str]:
    problems = []
    if nan:
        problems.append(
            f"{len(nan)} frame(s) held NaN or infinite values (frames {_listed(nan)}); the model overflowed "
            "(try bfloat16 or float32 instead of float16, or another seed)"
        )
    unexplained = [i for i in black if i not in set(nan)]  # NaN frames are black too; say so once
    if unexplained:
        problems.append(
            f"{len(unexplained)} black frame(s) (frames {_listed(unexplained)}); a model that produces "
            "NaN values decodes to black (try bfloat16 or float32 instead of float16, or another seed)"
        )
    # Black frames are said as black: "frames 0..23 do not move" or "frames 7 are much brighter or
    # darker" beside it sent people after a second fault in a clip that has one.
    said = set(black) | set(nan)
    problems += [
        f"frames {s}..{s + n - 1} do not move (frozen)"
        for s, n in frozen
        if not said.issuperset(range(s, s + n))
    ]
    for flashes, brightness in ((changes.flashes, True), (changes.colour_flashes, False)):
        flashes = [i for i in flashes if i not in said]  # a black frame in a bright clip is no flash as well
        if flashes:
            problems.append(_flash_line(flashes, brightness))
    if changes.flicker > FLICKER_LIMIT:
        what = "colour" if changes.colour_flicker else "brightness"
        problems.append(
            f"{what} flickers from frame to frame (index {changes.flicker:.1f}, limit {FLICKER_LIMIT:g})"
        )
    return problems


def assess(video: Video) -> QualityReport:
    """Run every check on ``video``; NaN frames are those its producer recorded in ``extra``."""
    frames = video.frames
    if len(frames) == 0:
        return QualityReport({"frames": 0}, ["the clip has no frames"], fatal=True)
    nan = sorted({int(i) for i in video.extra.get("nan_frames", ())})
    black = black_frames(frames)
    scan = _scan(frames)
    mean_colour = np.array(scan.mean_colour, dtype=np.float64)
    # A clip shorter than FROZEN_SECONDS that never moves is a still picture, not a pause: capping the
    # run at the clip's length names it (9 identical frames at 24 fps passed clean and scored best), and
    # one of 2 or 3 frames too, shorter than FROZEN_MIN_RUN (an SVD clip of 3 copies of one picture).
    least = max(2, min(max(FROZEN_MIN_RUN, round(FROZEN_SECONDS * float(video.fps))), len(frames)))
    frozen = held_runs(frames, frozen_runs(scan.still, least), least)
    changes = _changes(mean_colour)
    metrics = {
        "frames": int(len(frames)),
        "black_frames": black,
        "nan_frames": nan,
        "frozen_runs": [list(r) for r in frozen],
        "flash_frames": sorted(changes.flashes + changes.colour_flashes),
        "flicker": round(changes.flicker, 3),
        "temporal_ssim_mean": round(float(np.mean(scan.ssim)), 4) if scan.ssim else None,
        "temporal_ssim_min": round(float(np.min(scan.ssim)), 4) if scan.ssim else None,
        "mean_luma": round(float((mean_colour @ _LUMA.astype(np.float64)).mean()), 2),
    }
    problems = _problems(nan, black, frozen, changes)
    return QualityReport(metrics, problems, fatal=bool(nan or black))
