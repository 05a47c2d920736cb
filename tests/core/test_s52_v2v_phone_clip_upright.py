"""A phone's portrait clip restyled (video-to-video) is taken as a player shows it, not lying on its side."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from reelgen.core.backends import source_clip
from reelgen.core.spec import registry
from tests.core.helpers import resolved
from tests.core.test_s52f_phone_clip_upright import _phone_clip


def test_the_source_frames_of_a_portrait_phone_clip_are_upright(tmp_path: Path) -> None:
    upright = np.zeros((96, 64, 3), dtype=np.uint8)
    upright[:32] = (230, 30, 30)  # red at the top, as the person filmed it
    clip = _phone_clip(tmp_path / "portrait.mp4", upright, frames=12)
    request = resolved(
        model="ltx-tiny",
        prompt="a watercolour",
        source_video=str(clip),
        width=64,
        height=96,
        num_frames=9,
        fps=8,
    )
    spec, preset = registry.resolve("ltx-tiny")
    frames = np.asarray(source_clip.source_frames(request, spec.rules_for(preset)))
    assert frames.shape[1:] == (96, 64, 3)
    top, bottom = frames[0, 8, 32], frames[0, 88, 32]
    assert top[0] > 180 and top[1] < 80, top
    assert bottom.max() < 40, bottom
