"""A video cut inside a frame yields every frame before it, not only those the decoder's threads kept."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from reelgen.core.media import read_video
from tests.core.test_s50_enh2_cut_in_sound import _cut, _whole


def test_a_clip_cut_inside_a_frame_gives_every_frame_before_it(tmp_path: Path) -> None:
    whole, packets = _whole(tmp_path)
    kind, pos, size = [p for p in packets if p[0] == "video"][5]
    cut = _cut(whole, pos + size // 2)  # the 6th frame's packet is broken
    got = read_video(cut).frames
    # The decoder's frame threads lost the frames in flight with the broken packet: 3 of the 5 came out.
    assert len(got) == 5
    np.testing.assert_array_equal(np.asarray(got), np.asarray(read_video(whole).frames[:5]))
