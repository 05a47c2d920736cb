"""Follows one face through a clip: per-frame boxes matched to the last, gaps filled, jitter smoothed."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from reelgen.core.face.detect import FaceBox, choose, find_faces

#: Frames averaged either side of each frame when smoothing a box over time.
SMOOTH_RADIUS = 2
#: A detection overlapping the track's last box less than this is someone (or something) else.
MIN_IOU = 0.2


def track(frames: Sequence[np.ndarray], face_index: int | None, where: str) -> tuple[np.ndarray, int]:
    """Smoothed boxes (T, 4: x, y, w, h) of one face through ``frames``, and how many faces the first view had.

    The face is picked in the first frame that shows any; in later frames the detection
    overlapping the last box most continues the track. Frames where it is not found take
    boxes interpolated from their neighbours.
    """
    found = ((i, faces) for i, faces in enumerate(map(find_faces, frames)) if faces)
    start, faces = next(found, (0, []))
    current = choose(faces, face_index, where)
    boxes = np.full((len(frames), 4), np.nan)
    boxes[start] = current.as_array()
    for i in range(start + 1, len(frames)):
        best = max(find_faces(frames[i]), key=current.iou, default=None)
        if best is not None and current.iou(best) >= MIN_IOU:
            boxes[i] = best.as_array()
            current = best
    return smooth(fill_gaps(boxes)), len(faces)


def fill_gaps(boxes: np.ndarray) -> np.ndarray:
    """Missing boxes (NaN rows) interpolated between found ones; held at the ends."""
    out = boxes.copy()
    found = ~np.isnan(out[:, 0])
    idx = np.arange(len(out))
    for c in range(out.shape[1]):
        out[:, c] = np.interp(idx, idx[found], out[found, c])
    return out


def smooth(boxes: np.ndarray, radius: int = SMOOTH_RADIUS) -> np.ndarray:
    """A centred moving average over ``radius`` frames each side (edges use the frames they have)."""
    if len(boxes) <= 1 or radius == 0:
        return boxes
    kernel = np.ones(2 * radius + 1)
    padded = np.pad(boxes, ((radius, radius), (0, 0)), mode="edge")
    return np.stack([np.convolve(padded[:, c], kernel, "valid") / kernel.sum() for c in range(4)], 1)


def still(box: FaceBox, count: int) -> np.ndarray:
    """The same box for ``count`` frames (a photo)."""
    return np.repeat(box.as_array()[None], count, axis=0)
