"""A fade (a title card to black, a shot darkening) is one shot: interpolation blends through it, no frame held."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from skimage import data

from reelgen.core.enhance import run_chain, scenes
from reelgen.core.progress import Progress
from reelgen.core.spec.request import EnhanceStep
from reelgen.core.types import Video

FPS = Fraction(24)


def _flat_fade(levels_per_frame: int) -> np.ndarray:
    """A grey card fading to black: every pixel the same tone, a little darker each frame."""
    return np.stack(
        [
            np.full((48, 64, 3), max(0, 250 - k * levels_per_frame), np.uint8)
            for k in range(250 // levels_per_frame)
        ]
    )


@pytest.mark.parametrize("levels_per_frame", [1, 2, 4, 6, 8, 12, 16])
def test_a_card_fading_to_black_at_any_pace_has_no_cut(levels_per_frame: int) -> None:
    # With hard tone bins every pixel crossed a bin edge at once every few frames, and each such pair
    # scored 1 among pairs of 0.02: a 1-10 s fade was cut 4-30 times and got held frames there.
    assert scenes.cuts(_flat_fade(levels_per_frame), 0.35) == set()


def test_a_photo_fading_to_black_has_no_cut() -> None:
    photo = data.astronaut()[:192, :256].astype(np.float32)
    frames = np.stack([np.clip(photo * (1 - k * 6 / 255), 0, 255).astype(np.uint8) for k in range(42)])
    assert scenes.cuts(frames, 0.35) == set()


def test_a_shot_change_still_stands_out_from_its_pans() -> None:
    # Two photos each panned, one after the other: the change between them is a cut and nothing else is.
    def panned(photo: np.ndarray) -> list[np.ndarray]:
        return [np.ascontiguousarray(photo[:160, 6 * t : 6 * t + 224]) for t in range(8)]

    frames = np.stack(panned(data.astronaut()) + panned(data.coffee()))
    assert scenes.cuts(frames, 0.35) == {7}


def test_interpolating_a_fade_blends_every_new_frame() -> None:
    fade = _flat_fade(4)
    out, records = run_chain(Video(fade, FPS), [EnhanceStep(name="flow", options={"factor": 2})], Progress())
    assert records[0]["cuts"] == []
    # Each made frame lies between its two neighbours (a held frame would repeat one side exactly).
    made = out.frames[1::2].astype(int)[:, 0, 0, 0]
    assert (made < fade[:-1, 0, 0, 0]).all() and (made > fade[1:, 0, 0, 0]).all()
