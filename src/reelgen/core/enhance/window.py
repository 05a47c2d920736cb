"""The source frames an interpolator still needs, read one at a time, with scene cuts judged as they come."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from reelgen.core.enhance.scenes import WINDOW, colour_thumbnails, is_cut, thumbnail_differences


class Window:
    """Frames of a streamed clip by index, read on demand and let go once no output frame needs them.

    A scene cut at pair i is judged from the differences of the pairs up to
    WINDOW // 2 on each side, so asking for frame i reads that many frames past
    it (fewer at the clip's end). The differences of the whole clip are kept, one
    number per pair; frames only while needed.
    """

    def __init__(self, frames: Iterator[np.ndarray], threshold: float) -> None:
        self._frames = frames
        self._threshold = threshold
        self._held: dict[int, np.ndarray] = {}
        self._first = 0  # the oldest frame still held
        self._thumb: np.ndarray | None = None  # the last frame's colour thumbnail
        self.scores: list[float] = []  # the difference of each pair (i, i + 1) read so far
        self.read = 0
        self.ended = False

    def has(self, i: int) -> bool:
        """Whether the clip has a frame ``i``, reading on (far enough to judge the cuts next to it)."""
        while not self.ended and self.read <= i + WINDOW // 2:
            frame = next(self._frames, None)
            if frame is None:
                self.ended = True
                break
            self._held[self.read] = frame
            self.read += 1
            if self._threshold > 0:
                thumb = colour_thumbnails(frame[None])
                if self._thumb is not None:
                    self.scores.append(float(thumbnail_differences(np.concatenate([self._thumb, thumb]))[0]))
                self._thumb = thumb
        return i < self.read

    def __getitem__(self, i: int) -> np.ndarray:
        return self._held[i]

    def cut(self, i: int) -> bool:
        """Whether frames i and i + 1 belong to different shots (``has(i + 1)`` first)."""
        if self._threshold <= 0:
            return False
        low = max(0, i - WINDOW // 2)
        return is_cut(
            np.asarray(self.scores[low : i + 1 + WINDOW // 2], np.float32), i - low, self._threshold
        )

    def forget_before(self, i: int) -> None:
        """Let go of frames before ``i``: no output frame will need them."""
        while self._first < i:
            self._held.pop(self._first, None)
            self._first += 1
