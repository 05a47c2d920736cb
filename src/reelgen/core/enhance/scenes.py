"""Scene-cut detection, so an interpolator never blends two different shots into one frame."""

from __future__ import annotations

import numpy as np

#: Thumbnail side used for comparing frames: big enough to see a shot change, small enough to ignore grain.
THUMB = 32
#: How many neighbouring frame differences a cut must stand out from.
WINDOW = 7
#: How many times the usual change around it a pair must score to be a cut. 3.5 rather than 3: with
#: tones binned softly a steady pan scores a little lower, and the catch-up after a 4-frame pause in
#: a pan (five ticks of motion at once, no new shot) scored 3.3 times it; changes between two panned
#: photos of skimage's samples scored 5.9 times or more.
CUT_RATIO = 3.5
#: Frames summed at once, which bounds the scratch memory whatever the clip's length.
CHUNK = 32


def thumbnails(frames: np.ndarray) -> np.ndarray:
    """Each (H, W, 3) uint8 frame as a THUMB x THUMB grey image in [0, 1] (block means, no library)."""
    return colour_thumbnails(frames).mean(axis=-1)


def colour_thumbnails(frames: np.ndarray) -> np.ndarray:
    """Each (H, W, 3) uint8 frame as a THUMB x THUMB x 3 image in [0, 1] of its block means.

    Block sums are taken on the uint8 frames with integer accumulators, and
    floats only on the small result: converting a whole 768x512 clip to float
    first took 1.3-1.6 s for 121 frames.
    """
    _, h, w, _ = frames.shape
    ys = np.linspace(0, h, THUMB + 1).astype(int)
    xs = np.linspace(0, w, THUMB + 1).astype(int)
    counts = np.maximum(np.diff(ys), 1)[:, None] * np.maximum(np.diff(xs), 1)[None, :]
    out = np.empty((len(frames), THUMB, THUMB, 3), dtype=np.float32)
    # A few frames at a time: the row sums of a whole long clip would be 32 uint32 rows per frame.
    even = h % THUMB == 0 and w % THUMB == 0
    for start in range(0, len(frames), CHUNK):
        part = frames[start : start + CHUNK]
        if even:
            # Equal blocks (768x512, 832x480, ...): one reshaped sum. For 121 frames at 768x512 on a
            # 2-core machine that is 0.06 s against reduceat's 0.26 s.
            shape = (len(part), THUMB, h // THUMB, THUMB, w // THUMB, 3)
            blocks = part.reshape(shape).sum(axis=(2, 4), dtype=np.uint32).astype(np.float64)
        else:
            # Sum over block rows then columns (exact block means for any size); uint32 holds 4096^2 * 255.
            rows = np.add.reduceat(part, ys[:-1], axis=1, dtype=np.uint32)
            blocks = np.add.reduceat(rows, xs[:-1], axis=2, dtype=np.uint32).astype(np.float64)
        out[start : start + len(part)] = blocks / (255.0 * counts[..., None])
    return out


def differences(frames: np.ndarray) -> np.ndarray:
    """For each pair (i, i + 1): mean absolute thumbnail difference plus luma-histogram distance, in [0, 2].

    The difference is taken per colour channel: two shots of the same brightness
    (a red title card cut to a blue one) have equal grey thumbnails and histograms,
    and a grey-only measure scored such a cut 0.2, under the 0.35 threshold.
    """
    if len(frames) < 2:
        return np.zeros(0, dtype=np.float32)
    return thumbnail_differences(colour_thumbnails(frames))


def thumbnail_differences(colour: np.ndarray) -> np.ndarray:
    """``differences`` of frames given as their colour thumbnails; each pair's score depends on that pair alone."""
    thumbs = colour.mean(axis=-1)
    mad = np.abs(np.diff(colour, axis=0)).mean(axis=(1, 2, 3))
    hist = tone_histograms(thumbs)
    # Half the L1 distance of two histograms is 0 for the same tones and 1 for disjoint ones.
    tones = 0.5 * np.abs(np.diff(hist, axis=0)).sum(axis=1)
    return (mad + tones).astype(np.float32)


def tone_histograms(thumbs: np.ndarray, bins: int = 16) -> np.ndarray:
    """Each grey thumbnail's tones as a histogram of ``bins`` bins summing to 1, each value shared
    between its two nearest bin centres.

    Hard bins read a slow fade of a flat frame (a title card fading to black) as a cut every few
    frames: all its pixels cross a bin edge at once, and that pair's distance jumps from 0 to 1.
    Shared between neighbours, a tone moving by d moves about d / bin width of the mass, so a
    steady fade scores the same on every pair and stands out from none.
    """
    flat = thumbs.reshape(len(thumbs), -1).astype(np.float64)
    place = np.clip(flat * bins - 0.5, 0.0, bins - 1.0)
    low = np.floor(place).astype(np.int64)
    high = np.minimum(low + 1, bins - 1)
    upper = place - low
    rows = np.arange(len(flat))[:, None] * bins
    hist = np.bincount((rows + low).ravel(), weights=(1.0 - upper).ravel(), minlength=len(flat) * bins)
    hist += np.bincount((rows + high).ravel(), weights=upper.ravel(), minlength=len(flat) * bins)
    hist = hist.reshape(len(flat), bins)
    return (hist / hist.sum(axis=1, keepdims=True)).astype(np.float32)


def cuts(frames: np.ndarray, threshold: float) -> set[int]:
    """Indices i where frames i and i + 1 belong to different shots.

    A pair is a cut when its difference passes ``threshold`` and is also well
    above the differences around it, so a fast pan (every pair different) is
    not mistaken for a string of cuts. ``threshold`` 0 turns detection off.
    """
    if threshold <= 0 or len(frames) < 2:
        return set()
    score = differences(frames)
    return {int(i) for i in np.flatnonzero(score >= threshold) if is_cut(score, int(i), threshold)}


def is_cut(score: np.ndarray, i: int, threshold: float) -> bool:
    """Whether pair ``i`` of the differences ``score`` is a cut (see ``cuts``).

    Only the WINDOW // 2 pairs on each side of ``i`` count, so a clip read a few
    frames at a time can decide pair i once the pairs up to i + WINDOW // 2 are in.
    """
    if threshold <= 0 or score[i] < threshold:
        return False
    half = WINDOW // 2
    # How much this footage usually changes: the median of the pairs around, the pair itself left out.
    others = np.concatenate([score[max(0, i - half) : i], score[i + 1 : i + 1 + half]])
    # A pair scoring exactly 0 is a frame shown again (a variable-rate clip's pause, resampled by
    # holding the frame): it says nothing of how much the footage changes. Counted, a pause of 3+
    # held frames halved the median, and the catch-up after it in a steady pan was taken for a cut.
    # Only pause beside pause (a slideshow) leaves no other measure: then any pair past threshold is a cut.
    others = others[others > 0]
    usual = float(np.median(others)) if len(others) else 0.0
    return bool(score[i] > CUT_RATIO * usual)
