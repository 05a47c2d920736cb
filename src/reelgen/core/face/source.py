"""The face an avatar animates: a photo or a video's frames laid out at the output's rate, with the face tracked."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from reelgen.core.face.detect import choose, find_faces
from reelgen.core.face.track import still, track
from reelgen.core.media import fit, load_image, read_video


@dataclass
class FaceSource:
    """Distinct source frames, the face box in each, and which source frame each output frame shows."""

    frames: list[np.ndarray]
    boxes: np.ndarray  # (len(frames), 4)
    index: np.ndarray  # (num_frames,) into frames
    faces_seen: int  # faces in the first view (the choice was among these)


def _fitted(image: np.ndarray, width: int, height: int) -> np.ndarray:
    if image.shape[1] == width and image.shape[0] == height:
        return image
    return np.asarray(fit(Image.fromarray(image), width, height))


def ping_pong(positions: np.ndarray, length: int) -> np.ndarray:
    """Positions past a clip's end walk back and forth through it, so a short clip never jumps."""
    if length == 1:
        return np.zeros_like(positions)
    period = 2 * length - 2
    folded = positions % period
    return np.where(folded < length, folded, period - folded)


def from_photo(path: str, width: int, height: int, num_frames: int, face_index: int | None) -> FaceSource:
    frame = _fitted(np.asarray(load_image(path, "start_image")), width, height)
    faces = find_faces(frame)
    box = choose(faces, face_index, Path(path).name)
    return FaceSource([frame], still(box, 1), np.zeros(num_frames, int), len(faces))


def from_video(
    path: str, width: int, height: int, num_frames: int, fps: float, face_index: int | None
) -> FaceSource:
    """The video's frames at ``fps`` (nearest frame by time, back and forth past its end), face tracked."""
    video = read_video(path, "source_video")
    times = np.arange(num_frames) / fps
    wanted = np.floor(times * float(video.fps) + 1e-6).astype(int)
    index = ping_pong(wanted, video.num_frames)
    used = np.unique(index)
    frames = [_fitted(video.frames[i], width, height) for i in used]
    boxes, faces = track(frames, face_index, Path(path).name)
    return FaceSource(frames, boxes, np.searchsorted(used, index), faces)
