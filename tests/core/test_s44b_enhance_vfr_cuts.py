"""Held frames (a variable-rate clip's pause, resampled) do not make the catch-up after them a scene cut."""

from __future__ import annotations

import numpy as np
from skimage import data

from reelgen.core.enhance.scenes import cuts, differences
from reelgen.core.enhance.window import Window

PHOTO = data.astronaut()


def _crop(x: int, photo: np.ndarray = PHOTO) -> np.ndarray:
    return np.ascontiguousarray(photo[40:200, 20 + x : 244 + x])


def _paused_pan(px: int, after: int, held: int, frames: int = 16) -> list[np.ndarray]:
    """A pan of ``px`` photo pixels a tick whose frames after ``after`` are missing for ``held`` ticks,
    filled by showing the last one again, as the resampling of a variable-rate clip fills them."""
    out: list[np.ndarray] = []
    for tick in range(frames):
        out.append(out[-1] if after < tick <= after + held else _crop(px * tick))
    return out


def test_the_catch_up_after_a_pause_in_a_steady_pan_is_no_cut() -> None:
    # The 4 held frames scored 0 and pulled the median of the pairs around down to half, so the
    # catch-up (5 ticks of the pan at once) passed 3x it: no middle frames were made there.
    clip = _paused_pan(8, after=6, held=4)
    score = differences(np.stack(clip))
    assert (score[6:10] == 0).all() and score[10] >= 0.35  # past the threshold: judged against the rest
    assert cuts(np.stack(clip), 0.35) == set()
    window = Window(iter(clip), 0.35)  # the streamed judgement a run makes
    assert window.has(len(clip) - 1) and not any(window.cut(i) for i in range(len(clip) - 1))


def test_a_real_cut_right_after_a_pause_is_still_found() -> None:
    coffee = data.coffee()
    clip = _paused_pan(4, after=6, held=4, frames=11) + [_crop(4 * t, coffee) for t in range(5)]
    assert cuts(np.stack(clip), 0.35) == {10}


def test_a_slideshow_of_stills_keeps_its_cuts() -> None:
    # Every pair but the changes scores 0: with nothing else to measure by, a change past threshold is a cut.
    stills = [_crop(0)] * 4 + [_crop(0, data.coffee())] * 4 + [_crop(0, data.chelsea())] * 4
    assert cuts(np.stack(stills), 0.35) == {3, 7}
