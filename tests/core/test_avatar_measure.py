"""The sync measure: None, not NaN, when the mouth or the voice does not move."""

from __future__ import annotations

import warnings

import numpy as np

from reelgen.core.backends.avatar.measure import mouth_opening, sync_score
from reelgen.core.types import Audio


def _frames_with_a_constant_third_open(count: int) -> tuple[np.ndarray, list[list[int]]]:
    """Frames whose mouth region's inner 3x3 has 3 dark pixels under bright skin: an opening of 1/3 each."""
    frames = np.full((count, 30, 30, 3), 200, np.uint8)
    frames[:, 18, 3:6] = 0  # one dark row of the inner 3x3 of the region below
    return frames, [[0, 15, 9, 24]] * count


def test_a_mouth_that_never_moves_has_no_sync_score_and_no_warning() -> None:
    frames, regions = _frames_with_a_constant_third_open(25)
    assert np.allclose(mouth_opening(frames, regions), 1 / 3)
    t = np.arange(16000) / 16000
    voice = Audio((0.3 * np.sin(2 * np.pi * 220 * t) * t)[None].astype(np.float32), 16000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # corrcoef's divide-by-zero warning fails the test
        assert sync_score(frames, regions, voice, 25.0) is None


def test_a_moving_mouth_is_scored() -> None:
    frames, regions = _frames_with_a_constant_third_open(25)
    frames[::2, 19, 3:6] = 0  # every other frame opens to 2/3
    t = np.arange(16000) / 16000
    voice = Audio((0.3 * np.sin(2 * np.pi * 220 * t) * t)[None].astype(np.float32), 16000)
    score = sync_score(frames, regions, voice, 25.0)
    assert score is not None and -1 <= score <= 1
