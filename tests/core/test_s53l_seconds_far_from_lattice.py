"""A length in seconds the model cannot come close to is refused, naming lengths it can make and the rate
that gives the asked one; rounding onto the model's frame lattice stays silent when it lands close."""

from __future__ import annotations

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.rules import SizeRules

MICRO = SizeRules(label="reelgen-micro", frame_step=4, frame_offset=1, min_frames=5, max_frames=129)


def said(refused: pytest.ExceptionInfo[InvalidRequest]) -> str:
    return refused.value.message


def test_two_seconds_at_half_a_frame_a_second_is_refused_not_made_ten_seconds() -> None:
    # It made 5 frames at 0.5 fps: a 10 s clip for a 2 s ask, and said nothing.
    with pytest.raises(InvalidRequest) as refused:
        MICRO.frames_for_seconds(2, 0.5)
    assert refused.value.param == "seconds"
    assert said(refused).startswith("seconds: 2 s at 0.5 fps would be 10 s (5 frames)")
    assert "10 s (5 frames) or 18 s (9 frames)" in said(refused)
    assert "2.5 (5 frames) or 4.5 (9 frames)" in said(refused)


def test_a_hundredth_of_a_second_is_refused_with_the_shortest_clip() -> None:
    # It made 0.417 s (5 frames at 12 fps) for 0.01 s; no rate up to 240 fps gives 0.01 s.
    with pytest.raises(InvalidRequest) as refused:
        MICRO.frames_for_seconds(0.01, 12)
    assert said(refused).startswith("seconds: 0.01 s at 12 fps would be 0.417 s (5 frames)")
    assert "fps" in said(refused).split("would be", 1)[1]
    assert "(fps)" not in said(refused)  # no rate to suggest: 5 frames in 0.01 s is 500 fps


def test_a_half_second_between_two_counts_names_both_and_their_rates() -> None:
    ltx = SizeRules(label="x", frame_step=8, frame_offset=1, min_frames=9)
    with pytest.raises(InvalidRequest) as refused:
        ltx.frames_for_seconds(0.5, 24)  # 12 frames: 17 would be 0.71 s, 42 % long
    assert "0.375 s (9 frames) or 0.708 s (17 frames)" in said(refused)
    assert "18 (9 frames) or 34 (17 frames)" in said(refused)


def test_rounding_up_by_half_again_is_refused_with_the_count_below() -> None:
    # 0.5 s at 12 fps is 6 frames; the next 4k+1 count, 9, is 0.75 s: half again as long.
    with pytest.raises(InvalidRequest) as refused:
        MICRO.frames_for_seconds(0.5, 12)
    assert "0.417 s (5 frames) or 0.75 s (9 frames)" in said(refused)
    assert "10 (5 frames) or 18 (9 frames)" in said(refused)


@pytest.mark.parametrize(
    ("seconds", "fps", "frames"),
    [(1, 12, 13), (0.35, 12, 5), (5, 24, 121), (10.75, 12, 129), (0.4, 12, 5), (0.75, 12, 9)],
)
def test_rounding_onto_the_lattice_close_to_the_ask_stays_silent(
    seconds: float, fps: float, frames: int
) -> None:
    rules = SizeRules(label="x", frame_step=8, frame_offset=1) if fps == 24 else MICRO
    assert rules.frames_for_seconds(seconds, fps) == frames
