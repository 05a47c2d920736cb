"""A flow shift that can only wreck the schedule is refused before the run, with the range that works."""

from __future__ import annotations

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.spec import registry
from reelgen.core.spec.rules import MAX_FLOW_SHIFT
from tests.core.helpers import resolved

#: One model of every family whose options take a flow shift (a tiny one where there is one).
MODELS = sorted(
    next((p.name for p in spec.presets if p.tiny), spec.presets[0].name)
    for spec in registry.families().values()
    if "flow_shift" in spec.options.model_fields
)


def test_the_families_that_take_a_flow_shift_are_all_here() -> None:
    assert {registry.resolve(m)[0].family for m in MODELS} >= {
        "wan",
        "hunyuan",
        "hunyuan15",
        "skyreels",
        "micro",
    }


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("shift", [1e9, 101, 0])
def test_a_shift_outside_the_range_is_refused_naming_the_range(model: str, shift: float) -> None:
    """flow_shift=1e9 was accepted, and the job ran to the end to fail on NaN frames."""
    with pytest.raises(InvalidRequest) as err:
        resolved(model=model, prompt="a cat", seed=1, options={"flow_shift": shift})
    assert err.value.param == "options.flow_shift"
    assert "it takes a number above 0 and at most 100" in err.value.message


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("shift", [0.5, 17, MAX_FLOW_SHIFT])
def test_shifts_within_the_range_are_kept(model: str, shift: float) -> None:
    """17 is the largest any published checkpoint's authors use (HunyuanVideo i2v)."""
    request = resolved(model=model, prompt="a cat", seed=1, options={"flow_shift": shift})
    assert request.options.model_dump()["flow_shift"] == shift
