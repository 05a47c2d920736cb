"""How well an avatar's mouth follows its voice: mouth opening per frame against the voice's loudness."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from reelgen.core.speech.audio import frame_envelope
from reelgen.core.types import Audio


def mouth_opening(frames: np.ndarray, regions: Sequence[Sequence[int]]) -> np.ndarray:
    """Per frame, the share of the mouth region's middle third darker than half the skin just above it."""
    out = np.zeros(len(frames), np.float32)
    for i, (frame, (x0, y0, x1, y1)) in enumerate(zip(frames, regions, strict=True)):
        w, h = x1 - x0, y1 - y0
        inner = frame[y0 + h // 3 : y1 - h // 3, x0 + w // 3 : x1 - w // 3].mean(axis=2)
        above = frame[max(0, y0 - h) : y0, x0:x1].mean(axis=2)
        if inner.size and above.size:
            out[i] = float((inner < 0.5 * np.median(above)).mean())
    return out


def sync_score(
    frames: np.ndarray,
    regions: Sequence[Sequence[int]],
    voice: Audio,
    fps: float,
    drawn: np.ndarray | None = None,
) -> float | None:
    """Pearson correlation of mouth opening and the voice's RMS envelope over the frames (None if either is flat).

    ``drawn`` (bool per frame) limits it to the frames whose mouth was made: a dub's cutaways have none.
    """
    opening = mouth_opening(frames, regions).astype(np.float64)
    envelope = frame_envelope(voice, fps, len(frames)).astype(np.float64)
    if drawn is not None:
        opening, envelope = opening[drawn], envelope[drawn]
    # Flat means every value equal, tested exactly: a float32 std of a constant such as 1/3 is a
    # rounding error above 0 that let corrcoef divide by zero (NaN, and a warning on the terminal).
    if opening.size < 2 or np.ptp(opening) == 0 or np.ptp(envelope) == 0:
        return None
    return round(float(np.corrcoef(opening, envelope)[0, 1]), 3)
