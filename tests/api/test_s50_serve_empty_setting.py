"""A number setting left empty (``REELGEN_GPUS=`` in a unit file) is told apart from one left unset."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from reelgen.api.settings import setting_problem
from reelgen.jobs.settings import JobSettings


@pytest.mark.parametrize(
    ("name", "said"),
    [
        (  # "Input should be a valid integer ... (default: unset, ...)": it looked unset to its writer
            "REELGEN_GPUS",
            "REELGEN_GPUS='': is empty, which is not unset; give a whole number of at least 0, or "
            "remove the variable for all the GPUs it sees",
        ),
        (
            "REELGEN_RAY_NUM_CPUS",
            "REELGEN_RAY_NUM_CPUS='': is empty, which is not unset; give a whole number of at least 1, "
            "or remove the variable for as many CPUs as Ray counts",
        ),
    ],
)
def test_an_empty_number_setting_says_to_remove_it(
    monkeypatch: pytest.MonkeyPatch, name: str, said: str
) -> None:
    monkeypatch.setenv(name, "")
    with pytest.raises(ValidationError) as caught:
        JobSettings()
    assert setting_problem(caught.value, JobSettings, {}) == said
