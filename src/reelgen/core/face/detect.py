"""Finds frontal faces with the Haar cascade OpenCV 4 ships, and picks the one an avatar animates."""

from __future__ import annotations

import hashlib
import math
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from reelgen.core.errors import InvalidRequest, ModelNotAvailable

#: Frames are searched at most this wide; boxes are scaled back to the frame.
SEARCH_SIDE = 640
#: A detection with fewer than this share of the strongest face's neighbouring hits is a Haar false
#: positive (a patterned shirt, a badge, pixelation): on a 2048-pixel portrait one larger than the
#: real face was "the largest" and got the mouth. Real second faces measured 0.28 and up, false ones
#: 0.13 to 0.18.
WEAK_SHARE = 0.2
#: The cascade's own window: no face smaller than this is found, in the searched (scaled) picture.
_HAAR_SIDE = 24


def smallest_face(height: int, width: int) -> int:
    """The narrowest face ``find_faces`` finds in a ``width`` x ``height`` picture, in its pixels: a twelfth of
    the searched picture's shorter side (smaller boxes were mostly clothing), 24 at least, scaled back."""
    scale = min(1.0, SEARCH_SIDE / max(height, width))
    short = min(round(height * scale), round(width * scale))
    return math.ceil(max(_HAAR_SIDE, short // 12) / scale)


@dataclass(frozen=True)
class FaceBox:
    """A face's square-ish box in frame pixels: left, top, width, height."""

    x: float
    y: float
    w: float
    h: float

    @property
    def area(self) -> float:
        return self.w * self.h

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.w / 2, self.y + self.h / 2

    def iou(self, other: FaceBox) -> float:
        left, top = max(self.x, other.x), max(self.y, other.y)
        right, bottom = min(self.x + self.w, other.x + other.w), min(self.y + self.h, other.y + other.h)
        inter = max(0.0, right - left) * max(0.0, bottom - top)
        return inter / (self.area + other.area - inter) if inter else 0.0

    def as_array(self) -> np.ndarray:
        return np.array([self.x, self.y, self.w, self.h], np.float64)


@cache
def _cascade() -> Any:
    try:
        import cv2
    except ImportError:
        raise ModelNotAvailable(
            "finding faces needs OpenCV 4: pip install 'opencv-python-headless<5'", param="model"
        ) from None
    folder = getattr(getattr(cv2, "data", None), "haarcascades", "")
    cascade = cv2.CascadeClassifier(folder + "haarcascade_frontalface_default.xml") if folder else None
    if cascade is None or cascade.empty():
        raise ModelNotAvailable(
            f"OpenCV {cv2.__version__} ships no face cascade (OpenCV 5 dropped them); "
            "install OpenCV 4: pip install 'opencv-python-headless<5'",
            param="model",
        )
    return cascade


def find_faces(frame: np.ndarray) -> list[FaceBox]:
    """Every frontal face in an RGB uint8 frame, left to right; clear false positives left out."""
    import cv2

    h, w = frame.shape[:2]
    scale = min(1.0, SEARCH_SIDE / max(h, w))
    grey = cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY)
    if scale < 1.0:
        grey = cv2.resize(grey, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    grey = cv2.equalizeHist(grey)
    smallest = max(_HAAR_SIDE, min(grey.shape) // 12)
    found, hits = _cascade().detectMultiScale2(
        grey, scaleFactor=1.1, minNeighbors=5, minSize=(smallest, smallest)
    )
    hits = np.ravel(hits)
    strong = [box for box, n in zip(found, hits, strict=True) if n >= WEAK_SHARE * hits.max()]
    boxes = [FaceBox(*(float(v) / scale for v in box)) for box in strong]
    return sorted(boxes, key=lambda b: b.x)


#: The faces found in the last few photos, by their pixels: a photo avatar's faces were found when
#: ``render`` checked the photo and again when its frame was laid out, twice on the same pixels (about
#: 0.1 s of CPU each at 512x512). Keyed by content, so a photo edited in place is searched again.
_PHOTO_FACES: OrderedDict[bytes, tuple[FaceBox, ...]] = OrderedDict()
_PHOTOS_KEPT = 8
_PHOTO_FACES_LOCK = threading.Lock()


def photo_faces(photo: np.ndarray) -> list[FaceBox]:
    """``find_faces`` of a still photo, searched once for the same pixels in this process (hashing
    them takes about 1 ms a megapixel; a video's frames go to ``find_faces``, each searched once)."""
    pixels = np.ascontiguousarray(photo)
    digest = hashlib.blake2b(f"{pixels.shape} {pixels.dtype.str}".encode(), digest_size=20)
    digest.update(pixels.data)
    key = digest.digest()
    with _PHOTO_FACES_LOCK:
        if (found := _PHOTO_FACES.get(key)) is not None:
            _PHOTO_FACES.move_to_end(key)
            return list(found)
    faces = find_faces(pixels)
    with _PHOTO_FACES_LOCK:
        _PHOTO_FACES[key] = tuple(faces)
        while len(_PHOTO_FACES) > _PHOTOS_KEPT:
            _PHOTO_FACES.popitem(last=False)
    return faces


def choose(
    faces: list[FaceBox], face_index: int | None, where: str, size: tuple[int, int] | None = None
) -> FaceBox:
    """The face to animate: ``face_index`` (left to right, from 0), else the largest.

    ``size``: the (height, width) searched, so "no face" says how large a face it needs: it said
    "about 48 pixels" of every picture, while a 4096-pixel photo needs one of about 340.
    """
    if not faces:
        if size is None:
            need = "across a twelfth of the picture's shorter side, 24 pixels at least"
        else:
            need = f"at least about {smallest_face(*size)} pixels across"
            if smallest_face(*size) > _HAAR_SIDE:
                need += f" in this {size[1]}x{size[0]} picture (a twelfth of its shorter side)"
        raise InvalidRequest(
            f"no face found in {where}; give a photo or video with a clear frontal face {need}",
            param="start_image",
        )
    if face_index is None:
        return max(faces, key=lambda b: b.area)
    if not 0 <= face_index < len(faces):
        found = (
            f"1 face found in {where}, number 0"
            if len(faces) == 1
            else f"{len(faces)} faces found in {where}, numbered 0..{len(faces) - 1} from the left"
        )
        raise InvalidRequest(
            f"options.face_index {face_index} is out of range: {found}", param="options.face_index"
        )
    return faces[face_index]
