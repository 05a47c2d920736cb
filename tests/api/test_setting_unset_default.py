"""A bad value of a number setting left unset by default says what unset means."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from reelgen.api.settings import setting_problem
from reelgen.jobs.settings import JobSettings


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        (  # it ended at "greater than or equal to 0", with no default, where others name theirs
            "REELGEN_GPUS",
            "-1",
            "REELGEN_GPUS='-1': too small; it takes a whole number of at least "
            "0 (default: unset, all the GPUs it sees)",
        ),
        (
            "REELGEN_RAY_NUM_CPUS",
            "0",
            "REELGEN_RAY_NUM_CPUS='0': too small; it takes a whole number of "
            "at least 1 (default: unset, as many CPUs as Ray counts)",
        ),
    ],
)
def test_an_unset_default_is_said(monkeypatch: pytest.MonkeyPatch, name: str, value: str, said: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as caught:
        JobSettings()
    assert setting_problem(caught.value, JobSettings, {}) == said
