"""A Lanczos factor so close to 1 that the size rounds back to the source's is refused, not run as an 'upscale'."""

from __future__ import annotations

from fractions import Fraction

import pytest

from reelgen.core.enhance.base import Shape
from reelgen.core.enhance.upscale import LanczosOptions, LanczosUpscaler
from reelgen.core.errors import InvalidRequest


def _shape(width: int, height: int) -> Shape:
    return Shape(width, height, 3, Fraction(24))


def test_a_factor_that_rounds_back_to_the_same_size_is_refused_with_the_least_that_works() -> None:
    # `--upscale 1.01` on a 32x32 clip wrote a 32x32 clip and said "lanczos: seconds ...".
    with pytest.raises(InvalidRequest) as caught:
        LanczosUpscaler(LanczosOptions(scale=1.01)).output_shape(_shape(32, 32))
    assert caught.value.param == "upscale"
    assert caught.value.message == (
        "upscale 1.01 leaves 32x32 at 32x32; give a factor of at least 1.032 to enlarge it"
    )
    assert LanczosUpscaler(LanczosOptions(scale=1.032)).output_shape(_shape(32, 32)) == _shape(33, 33)


def test_a_small_factor_that_enlarges_a_big_frame_is_taken() -> None:
    assert LanczosUpscaler(LanczosOptions(scale=1.01)).output_shape(_shape(1920, 1080)) == _shape(1939, 1091)
