"""An unknown model name is told the near names, or else one model of each family, never all 68 in a line."""

from __future__ import annotations

import pytest

from reelgen.core.errors import ModelNotAvailable
from reelgen.core.spec import registry
from reelgen.core.spec.request import Task


def test_a_name_near_no_model_gets_one_of_each_family_and_the_command_for_all() -> None:
    # It listed every model name, 68 of them, in one line.
    with pytest.raises(ModelNotAvailable) as refused:
        registry.resolve("zzzz")
    said = refused.value.message
    # Only families that make a video from a prompt or an image: not the avatar-only reelgen-lipsync.
    firsts = [s.presets[0].name for _, s in sorted(registry.families().items()) if s.tasks - {Task.AVATAR}]
    assert said == (
        f"unknown model 'zzzz'; no known model is named like it; known models: {', '.join(firsts)} (the first "
        f"of each family that makes a video from a prompt or an image; `reelgen models` lists all "
        f"{len(registry.presets())} with their tasks and rules)"
    )
    assert "ltx-2b" in firsts and "ltx-tiny" not in said and len(firsts) < len(registry.presets()) / 3


def test_a_near_name_gets_the_closest_few() -> None:
    with pytest.raises(ModelNotAvailable) as refused:
        registry.resolve("ltx-13")
    assert refused.value.message == (
        "unknown model 'ltx-13'; did you mean ltx-13b, ltx2.3, ltx-2b? "
        "(`reelgen models` lists every model with its tasks and rules)"
    )
