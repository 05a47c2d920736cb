"""A --target-fps too high for the clip is refused with the range that would work, not only what was wrong."""

from __future__ import annotations

from fractions import Fraction

import pytest

from reelgen.core.enhance.timing import MAX_FACTOR, check_rates
from reelgen.core.errors import InvalidRequest


def test_a_rate_past_the_factor_limit_names_the_valid_range() -> None:
    with pytest.raises(InvalidRequest) as caught:
        check_rates(Fraction(24), None, 1e9)
    assert caught.value.param == "target_fps"
    assert f"more than {MAX_FACTOR}x the clip's 24 fps" in caught.value.message
    assert f"give a rate above 24 and at most {24 * MAX_FACTOR}" in caught.value.message


def test_the_limit_itself_is_taken() -> None:
    assert check_rates(Fraction(24000, 1001), None, Fraction(24000 * MAX_FACTOR, 1001)) == Fraction(
        24000 * MAX_FACTOR, 1001
    )
