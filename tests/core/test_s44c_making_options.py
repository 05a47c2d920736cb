"""Model options a user writes on the command line: a schedule that does not fit the run, a list not written as one."""

from __future__ import annotations

import pytest

from reelgen.core.errors import InvalidRequest
from tests.core.helpers import resolved


def test_a_written_schedule_of_another_length_than_the_steps_is_refused_not_dropped() -> None:
    """ltx-tiny runs 2 steps; three timesteps were dropped for the default schedule, the record still naming them."""
    with pytest.raises(
        InvalidRequest, match=r"has 3 values but the run takes 2 steps; set 3 steps \(steps\)"
    ) as err:
        resolved(model="ltx-tiny", prompt="x", options={"timesteps": [900.0, 500.0, 100.0]})
    assert err.value.param == "options.timesteps"


def test_a_schedule_as_long_as_the_steps_is_taken() -> None:
    request = resolved(model="ltx-tiny", prompt="x", steps=3, options={"timesteps": [900.0, 500.0, 100.0]})
    assert request.options.timesteps == [900.0, 500.0, 100.0]  # type: ignore[attr-defined]


def test_a_list_option_given_no_list_says_how_a_list_is_written() -> None:
    with pytest.raises(
        InvalidRequest,
        match=r"options\.timesteps: '1,2' is not a list; give a list in brackets, e\.g\. \[0\.5, 1\.0\]",
    ):
        resolved(model="ltx-tiny", prompt="x", options={"timesteps": "1,2"})
