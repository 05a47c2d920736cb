"""A talking-avatar model named in a shoot-out stops it before anything renders, saying why."""

from __future__ import annotations

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.shootout.plan import plan_shootout
from reelgen.core.shootout.spec import PromptsFile


def test_a_model_that_makes_only_avatars_is_refused_naming_it() -> None:
    prompts = PromptsFile.model_validate({"prompts": ["a fox"]})
    # Each of its rows failed as "musetalk-tiny needs a start image and this prompt has none", even
    # for a prompt with an image: it needs a voice, which no shoot-out gives.
    with pytest.raises(InvalidRequest) as caught:
        plan_shootout(["ltx-tiny", "musetalk-tiny"], prompts)
    assert caught.value.param == "models[1]"
    assert caught.value.message.startswith(
        "musetalk-tiny makes talking avatars from a face and a voice (`reelgen avatar`, POST /v1/avatars), "
        "and a shoot-out runs each model on text prompts"
    )
