"""A video to dub that is cut short is refused, as a voice cut short and a model's source clip are."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from reelgen.core.encode import write_video
from reelgen.core.errors import InvalidRequest
from reelgen.core.face.source import from_video
from reelgen.core.types import Video


def test_a_video_cut_short_is_refused_saying_where_it_stops(tmp_path: Path) -> None:
    from skimage import data

    face = np.asarray(Image.fromarray(data.astronaut()).resize((128, 128))).astype(np.int16)
    rng = np.random.default_rng(0)
    frames = np.stack([np.clip(face + rng.integers(-30, 30, face.shape), 0, 255) for _ in range(20)])
    whole = write_video(Video(frames.astype(np.uint8), Fraction(25), None), tmp_path / "interview.mp4")
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])  # a download that stopped half-way
    # It dubbed the half there was, played back and forth to the voice's length, without a word.
    with pytest.raises(
        InvalidRequest, match=r"source_video: .*cut\.mp4 is cut short: its header lists 20 frames"
    ):
        from_video(str(cut), 128, 128, 20, 25.0, None)
    assert len(from_video(str(whole), 128, 128, 20, 25.0, None).frames) == 20
