"""Video-to-video (extend's tail, a restyle's frames) and a dub's face video read an HDR source as the
model takes it: tone-mapped to sRGB, not flat and washed out."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from reelgen.core.backends.source_clip import read_tail
from reelgen.core.face.source import _decode
from reelgen.core.media import video_timing
from tests.hdr_clips import BT2020, PQ, tagged_clip


def test_extends_tail_of_an_hdr_clip_is_tone_mapped(tmp_path: Path) -> None:
    clip = tagged_clip(tmp_path / "hdr.mp4", 130, PQ, BT2020)  # PQ 100 nits: sRGB 184, read as it is 130
    tail, total = read_tail(str(clip), 24.0, 2)
    assert total == 4 and abs(float(tail.frames.mean()) - 184) < 4


def test_a_dubs_hdr_face_video_is_tone_mapped(tmp_path: Path) -> None:
    clip = tagged_clip(tmp_path / "face.mp4", 130, PQ, BT2020)
    decoded, kept = _decode(str(clip), video_timing(clip, "source_video"), np.array([0, 3]))
    assert decoded == 4 and all(abs(float(f.mean()) - 184) < 4 for f in kept)
