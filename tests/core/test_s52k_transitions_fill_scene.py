"""Transitions that exactly fill a scene, in seconds, fit it in frames too."""

from __future__ import annotations

from fractions import Fraction

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.export.settings import Transition
from reelgen.core.export.timeline import Segment, layout


def _three(middle: float, into: float, out: float) -> list[Segment]:
    return [
        Segment("a", 1.0, transition=Transition(type="dissolve", duration=into), param="scenes[0]"),
        Segment("b", middle, transition=Transition(type="dissolve", duration=out), param="scenes[1]"),
        Segment("c", 1.0, param="scenes[2]"),
    ]


@pytest.mark.parametrize("fps", [24, 30, 60])
def test_transitions_that_exactly_fill_a_scene_are_laid_out(fps: int) -> None:
    # 0.375 s with 0.25 + 0.125 s: at 30 fps each length rounded alone read 11 frames against 8 + 4.
    lay = layout(_three(0.375, 0.25, 0.125), Fraction(fps))
    assert lay.overlaps[0] + lay.overlaps[1] <= lay.frames[1]
    assert abs(float(lay.total / lay.fps) - (2.375 - 0.375)) <= 1.5 / fps


def test_a_closing_fade_that_exactly_fills_with_the_transition_in_is_laid_out() -> None:
    segs = [
        Segment("a", 1.0, transition=Transition(type="dissolve", duration=0.25), param="scenes[0]"),
        Segment("b", 0.375, transition=Transition(type="fade", duration=0.125), param="scenes[1]"),
    ]
    lay = layout(segs, Fraction(30))
    assert lay.overlaps[0] + lay.fade_out <= lay.frames[1]


def test_transitions_longer_than_the_scene_are_still_refused() -> None:
    with pytest.raises(
        InvalidRequest, match=r"^b: its transitions in and out .* overlap inside the scene"
    ) as err:
        layout(_three(0.375, 0.25, 0.1875), Fraction(30))
    assert err.value.param == "scenes[1].transition.duration"
