"""A video packet's decode time is kept as the muxer needs it, whatever the encoder gave."""

from __future__ import annotations

from fractions import Fraction
from types import SimpleNamespace

from reelgen.core.export.codecs import SteadyDts


def packet(pts: int, dts: int) -> SimpleNamespace:
    return SimpleNamespace(pts=pts, dts=dts, time_base=Fraction(1, 8))


def test_a_decode_time_out_of_uninitialised_memory_is_mended() -> None:
    # libx265 gave a one-frame film's packet dts -70368744194048: the MP4 muxer refused it, "patches welcome".
    steady = SteadyDts(Fraction(8))
    assert steady(packet(0, -70368744194048)).dts == 0
    assert steady(packet(1, -171798691880)).dts == 1


def test_the_decode_times_of_reordered_frames_are_left_alone() -> None:
    steady = SteadyDts(Fraction(8))
    given = [(0, -2), (4, -1), (2, 0), (1, 1), (3, 2)]  # B-frames: shown later than decoded
    assert [steady(packet(p, d)).dts for p, d in given] == [d for _, d in given]
