"""Every door that takes a frame rate refuses one slower than a frame per 100 s, as generate does."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from reelgen.api.legacy import LegacyGenerate
from reelgen.api.project_runs import ExportChoices
from reelgen.core.export.settings import ExportSettings
from reelgen.core.motion.kenburns import KenBurnsRequest
from reelgen.core.project.model import Defaults
from reelgen.core.shootout.spec import Settings


@pytest.mark.parametrize(
    "model",
    [LegacyGenerate, ExportChoices, ExportSettings, KenBurnsRequest, Defaults, Settings],
    ids=lambda m: m.__name__,
)
def test_a_rate_slower_than_a_frame_per_100_s_is_refused_naming_the_range(model: type[BaseModel]) -> None:
    """A project's fps 0.000001 said "give at least 1e+06s"; an export or a batch item took it and wrote
    a file that played at another rate than its record said."""
    with pytest.raises(ValidationError) as refused:
        model.model_validate({"fps": 1e-6})
    said: dict[str, Any] = {e["loc"][0]: e["msg"] for e in refused.value.errors()}
    assert said["fps"] == "Value error, 1e-06 is slower than a frame per 100 s; give from 0.01 to 240"
    # The slowest allowed still is (other fields a model requires may be missing here).
    try:
        model.model_validate({"fps": 0.01})
    except ValidationError as other:
        assert "fps" not in {e["loc"][0] for e in other.errors()}
