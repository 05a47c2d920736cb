"""Follows one face through a clip: per-frame boxes matched to the last, short gaps filled, jitter smoothed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from reelgen.core.errors import InvalidRequest
from reelgen.core.face.detect import FaceBox, choose, find_faces

#: Frames averaged either side of each frame when smoothing a box over time.
SMOOTH_RADIUS = 2
#: A detection overlapping the track's last box less than this is someone (or something) else.
MIN_IOU = 0.2
#: Frames without a detection that are still taken for the face (a blink of the detector, motion blur):
#: half a second at 25 fps. A longer absence is a cutaway, and those frames are left as they are.
MAX_GAP = 12


@dataclass
class Track:
    """Boxes (T, 4: x, y, w, h) of one face; ``present`` says which frames show it (the others stay as they are)."""

    boxes: np.ndarray
    present: np.ndarray
    faces_seen: int  # faces in the first frame that shows any (the choice was among these)


def track(frames: Sequence[np.ndarray], face_index: int | None, where: str) -> Track:
    """The face chosen in the first frame that shows any, followed through ``frames``.

    In later frames the detection overlapping the last box most continues the
    track. Where none overlaps (a cut, the person moved out and back), the face
    is chosen anew as in the first frame: the largest, or ``face_index`` from the
    left. Gaps of up to ``MAX_GAP`` frames are interpolated (held at the clip's
    ends); frames further from any detection are not the face's, and so are
    the frames between two runs that are not one face (before a cut, after it).
    """
    detections = [find_faces(frame) for frame in frames]
    start = next((i for i, faces in enumerate(detections) if faces), 0)
    current = choose(detections[start], face_index, where, frames[start].shape[:2] if frames else None)
    boxes = np.full((len(frames), 4), np.nan)
    run = np.full(len(frames), -1)  # which run of the face each detected frame belongs to
    boxes[start], run[start] = current.as_array(), 0
    runs = 0
    for i in range(start + 1, len(frames)):
        best = _overlapping(detections[i], current)
        if best is not None:
            current = best
        else:
            anew = _chosen(detections, i, face_index, where)
            if anew is None:
                continue
            current, runs = anew, runs + 1
        boxes[i], run[i] = current.as_array(), runs
    present = _covered(run)
    label = np.where(present, _spans(run), -1)
    out = np.zeros_like(boxes)
    for first, last in _blocks(label):
        r = label[first]
        out[first:last] = smooth(fill_gaps(_only(boxes, run == r))[first:last])
    return Track(out, present, len(detections[start]))


def _overlapping(faces: list[FaceBox], box: FaceBox) -> FaceBox | None:
    """The detection that continues a track at ``box``, if any overlaps it enough."""
    best = max(faces, key=box.iou, default=None)
    return best if best is not None and box.iou(best) >= MIN_IOU else None


def _chosen(detections: list[list[FaceBox]], i: int, face_index: int | None, where: str) -> FaceBox | None:
    """The face a new run starts with in frame ``i``, or None.

    None where the frame has no such face, or where the next frame does not show
    it too: a one-frame false detection (a pattern taken for a face while the
    real face was missed) would otherwise get the mouth for that frame.
    """
    if not detections[i]:
        return None
    try:
        face = choose(detections[i], face_index, where)
    except InvalidRequest:  # fewer faces than face_index counts in this frame
        return None
    if i + 1 < len(detections) and _overlapping(detections[i + 1], face) is None:
        return None
    return face


def _blocks(label: np.ndarray) -> list[tuple[int, int]]:
    """The (first, last + 1) frames of each stretch of one label, -1 (no face) left out."""
    edges = np.flatnonzero(np.diff(label)) + 1
    bounds = [0, *edges.tolist(), len(label)]
    return [(a, b) for a, b in zip(bounds[:-1], bounds[1:], strict=True) if label[a] >= 0]


def _only(boxes: np.ndarray, keep: np.ndarray) -> np.ndarray:
    out = np.full_like(boxes, np.nan)
    out[keep] = boxes[keep]
    return out


def _spans(run: np.ndarray) -> np.ndarray:
    """Each frame's run: its own detection's, else that of the nearest detection before it (after it at the start)."""
    found = np.flatnonzero(run >= 0)
    before = np.searchsorted(found, np.arange(len(run)), side="right") - 1
    return np.asarray(run[found[np.maximum(before, 0)]])


def _covered(run: np.ndarray) -> np.ndarray:
    """Frames that show the face: detected, inside a gap of at most ``MAX_GAP`` within one run, or that
    near the clip's ends."""
    found = np.flatnonzero(run >= 0)
    present = np.zeros(len(run), bool)
    present[found] = True
    for a, b in zip(found[:-1], found[1:], strict=True):
        if b - a - 1 <= MAX_GAP and run[a] == run[b]:
            present[a:b] = True
    present[max(0, found[0] - MAX_GAP) : found[0]] = True
    present[found[-1] : found[-1] + MAX_GAP + 1] = True
    return present


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
