"""A source's frames all at its first frame's size, however its picture changes size part way."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from PIL import Image


@dataclass
class SizeChange:
    """Where the source's picture first changed size, once its frames have been read (``at`` 0: never)."""

    width: int
    height: int
    at: int = 0  # the 1-based frame, as a person counts them
    to: tuple[int, int] = (0, 0)

    def record(self) -> dict[str, object]:
        return {"at_frame": self.at, "from": f"{self.width}x{self.height}", "to": "{}x{}".format(*self.to)}

    def warning(self, name: str) -> str:
        return (
            f"warning: {name} changes its picture size at frame {self.at} ({self.width}x{self.height} to "
            f"{self.to[0]}x{self.to[1]}); frames of another size were scaled to fit {self.width}x{self.height}, "
            "black bars where their shape differs"
        )


def one_size(frames: Iterator[np.ndarray], change: SizeChange) -> Iterator[np.ndarray]:
    """``frames``, each of another size than ``change``'s scaled to fit inside it, centred on black.

    A browser's screen recording, or a stream whose sender changed its resolution, changes the
    picture's size part way; every stage and the encoder take one size, and such a clip ended in
    "internal error (ValueError: all input arrays must have the same shape)". A player shows the
    later frames fitted to its window, their shape kept: so are they here (FFmpeg stretches them).
    """
    for index, frame in enumerate(frames, start=1):
        height, width = frame.shape[:2]
        if (width, height) == (change.width, change.height):
            yield frame
            continue
        if not change.at:
            change.at, change.to = index, (width, height)
        yield _fitted(frame, change.width, change.height)


def _fitted(frame: np.ndarray, width: int, height: int) -> np.ndarray:
    scale = min(width / frame.shape[1], height / frame.shape[0])
    inner = (max(1, round(frame.shape[1] * scale)), max(1, round(frame.shape[0] * scale)))
    resized = np.asarray(Image.fromarray(frame).resize(inner, Image.Resampling.LANCZOS))
    canvas = np.zeros((height, width, 3), dtype=np.uint8)
    top, left = (height - inner[1]) // 2, (width - inner[0]) // 2
    canvas[top : top + inner[1], left : left + inner[0]] = resized
    return canvas
