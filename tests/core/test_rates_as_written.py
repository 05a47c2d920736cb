"""A frame rate is kept as written: 12.0001 is not 12, NTSC decimals stay N000/1001, and finer is refused."""

from __future__ import annotations

from fractions import Fraction

import pytest

from reelgen.core.enhance.auto import interpolation_step
from reelgen.core.rates import parse_rate


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("12.0001", Fraction(120001, 10000)),  # it was 12, silently
        ("24.0001", Fraction(240001, 10000)),
        ("60.000001", Fraction(60000001, 1000000)),
        ("23.976", Fraction(24000, 1001)),
        ("29.97", Fraction(30000, 1001)),
        ("59.94", Fraction(60000, 1001)),
        ("23.98", Fraction(1199, 50)),
        ("7.3333", Fraction(22, 3)),  # rounds 22/3 at the digits written
        ("24", Fraction(24)),
        ("30000/1001", Fraction(30000, 1001)),
        (repr(100 / 3), Fraction(100, 3)),  # the float the command line makes of 100/3, read back
    ],
)
def test_a_rate_is_kept_as_written(text: str, rate: Fraction) -> None:
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["12.0000001", "1e-9", "0", "-5", "60/0", "fast", "nan"])
def test_a_rate_finer_than_ffmpeg_keeps_or_no_rate_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_rate(text)


def test_an_interpolation_target_of_12_0001_is_written_as_that_rate() -> None:
    # --target-fps 12.0001 made a 12 fps interpolation step.
    assert interpolation_step(None, 12.0001, "flow").options["target_fps"] == "120001/10000"
