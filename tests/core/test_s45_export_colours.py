"""A film keeps its colours whichever comes first, a title card or a rendered clip."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from reelgen.core.encode import write_video
from reelgen.core.export import ExportSettings, Segment, TitleCard, export
from reelgen.core.media import read_video
from reelgen.core.types import Video

RED, BLUE = (220, 30, 30), (32, 64, 128)


@pytest.mark.parametrize("card_first", [True, False])
@pytest.mark.parametrize("codec", ["h264", "prores"])
def test_cards_and_clips_keep_their_colours(tmp_path: Path, card_first: bool, codec: str) -> None:
    # A film that began with a title card (as `project new` makes one) was made full-range YUV and tagged
    # limited: the card's #204080 played as (17, 55, 127) and every clip after it as (232, 17, 17).
    frames = np.zeros((4, 32, 48, 3), np.uint8)
    frames[:] = RED
    clip = write_video(Video(frames, Fraction(8), None), tmp_path / "red.mp4")
    segments = [
        Segment("card", 0.5, card=TitleCard(text="x", background="#204080")),
        Segment("red", 0.5, clip=clip),
    ]
    if not card_first:
        segments.reverse()
    container = "mov" if codec == "prores" else "mp4"
    settings = ExportSettings(codec=codec, container=container, width=48, height=32, fps=8)
    film = read_video(export(segments, settings, tmp_path / f"film.{container}").path).frames
    card, red = (film[0], film[-1]) if card_first else (film[-1], film[0])
    assert np.abs(card[2, 2].astype(int) - BLUE).max() <= 4
    assert np.abs(red[16, 24].astype(int) - RED).max() <= 4
