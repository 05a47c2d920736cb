"""A prompt whose image is no picture stops the shoot-out before anything renders, naming the prompt."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.shootout.plan import plan_shootout
from reelgen.core.shootout.spec import PromptsFile


def test_a_prompt_image_that_is_not_a_picture_is_refused_naming_the_prompt(tmp_path: Path) -> None:
    (tmp_path / "notes.yaml").write_text("prompts: [a fox]\n")
    prompts = PromptsFile.model_validate({"prompts": [{"id": "a", "prompt": "x", "image": "notes.yaml"}]})
    # Each trial failed as "start_image: ... is not a readable image" once its model had loaded.
    with pytest.raises(InvalidRequest) as caught:
        plan_shootout(["wan-i2v-tiny", "ltx-tiny"], prompts, base_dir=tmp_path)
    assert caught.value.param == "prompts[0].image"
    assert caught.value.message.startswith("prompts[0].image: ")
    assert "notes.yaml is not a readable image" in caught.value.message
