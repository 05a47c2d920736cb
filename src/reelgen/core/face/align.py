"""Crops a face square for the lip-sync model and blends the model's mouth back with a feathered mask.

All geometry is in units of the crop side, so a model states it once
(``CropGeometry`` in its ``lipsync.json``) and it holds at every resolution.
Only pixels inside the feathered mouth ellipse change; everything else in the
frame is copied from the source, bit for bit.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class CropGeometry:
    """Where the crop sits on a face box and where the mouth sits in the crop.

    ``scale``: crop side over face-box side; ``drop``: crop centre below the box's top,
    in box sides; ``mouth``: the ellipse (cx, cy, rx, ry) that may change, in crop
    units; ``feather``: how far past the ellipse (in ellipse radii) the blend fades
    out; ``mask_from``: rows from this fraction down are hidden from the model.
    """

    size: int
    scale: float = 1.5
    drop: float = 0.75
    mouth: tuple[float, float, float, float] = (0.5, 0.575, 0.2, 0.14)
    feather: float = 0.35
    mask_from: float = 0.5

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CropGeometry:
        return cls(**{**data, "mouth": tuple(data.get("mouth", cls.mouth))})

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "mouth": list(self.mouth)}


def crop_matrix(box: np.ndarray, geo: CropGeometry) -> np.ndarray:
    """The 2x3 affine map from frame pixels to crop pixels for a face box (x, y, w, h)."""
    x, y, w, h = box
    side = (w + h) / 2 * geo.scale
    cx, cy = x + w / 2, y + (w + h) / 2 * geo.drop
    k = geo.size / side
    return np.array([[k, 0.0, -(cx - side / 2) * k], [0.0, k, -(cy - side / 2) * k]])


def crop(frame: np.ndarray, box: np.ndarray, geo: CropGeometry) -> np.ndarray:
    """The face crop (size x size RGB uint8); beyond the frame's edge the edge pixels repeat."""
    import cv2

    matrix = crop_matrix(box, geo)
    shrink = matrix[0, 0] < 1.0
    return cv2.warpAffine(
        frame,
        matrix,
        (geo.size, geo.size),
        flags=cv2.INTER_AREA if shrink else cv2.INTER_CUBIC,
        borderMode=cv2.BORDER_REPLICATE,
    )


def mouth_mask(geo: CropGeometry, size: int | None = None) -> np.ndarray:
    """The blend weight over the crop: 1 inside the mouth ellipse, fading to exactly 0 at the feather."""
    n = size or geo.size
    cx, cy, rx, ry = geo.mouth
    grid = (np.arange(n) + 0.5) / n
    d = np.sqrt(((grid[None, :] - cx) / rx) ** 2 + ((grid[:, None] - cy) / ry) ** 2)
    t = np.clip((1 + geo.feather - d) / geo.feather, 0.0, 1.0)
    return (t * t * (3 - 2 * t)).astype(np.float32)


def region(box: np.ndarray, geo: CropGeometry, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    """The frame rectangle (x0, y0, x1, y1) the mouth blend can touch, clipped to the frame."""
    matrix = crop_matrix(box, geo)
    k = matrix[0, 0]
    cx, cy, rx, ry = geo.mouth
    reach = 1 + geo.feather
    left = ((cx - rx * reach) * geo.size - matrix[0, 2]) / k
    right = ((cx + rx * reach) * geo.size - matrix[0, 2]) / k
    top = ((cy - ry * reach) * geo.size - matrix[1, 2]) / k
    bottom = ((cy + ry * reach) * geo.size - matrix[1, 2]) / k
    h, w = shape[:2]
    x0, y0 = max(0, int(np.floor(left))), max(0, int(np.floor(top)))
    return x0, y0, min(w, int(np.ceil(right)) + 1), min(h, int(np.ceil(bottom)) + 1)


def paste(frame: np.ndarray, generated: np.ndarray, box: np.ndarray, geo: CropGeometry) -> np.ndarray:
    """``frame`` with the generated crop's mouth blended in; pixels outside the feathered ellipse are untouched."""
    import cv2

    x0, y0, x1, y1 = region(box, geo, frame.shape)
    out = frame.copy()
    if x1 <= x0 or y1 <= y0:
        return out
    back = cv2.invertAffineTransform(crop_matrix(box, geo))
    back[:, 2] -= (x0, y0)
    size = (x1 - x0, y1 - y0)
    patch = cv2.warpAffine(generated, back, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    weight = cv2.warpAffine(mouth_mask(geo), back, size, flags=cv2.INTER_LINEAR, borderValue=0.0)
    weight = np.clip(weight, 0.0, 1.0)[..., None]
    source = out[y0:y1, x0:x1].astype(np.float32)
    blended = source + weight * (patch.astype(np.float32) - source)
    out[y0:y1, x0:x1] = np.where(weight > 0, np.rint(blended), source).astype(np.uint8)
    return out
