"""An empty or blank prompt in a prompts file is refused in words, not pydantic's "at least 1 character"."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.shootout import load_prompts


@pytest.mark.parametrize("text", ['""', '"   "'])
def test_an_empty_prompt_says_to_give_its_text(tmp_path: Path, text: str) -> None:
    prompts = tmp_path / "prompts.yaml"
    prompts.write_text(f"prompts:\n  - a fox\n  - {text}\n")
    with pytest.raises(InvalidRequest) as caught:
        load_prompts(prompts)
    assert caught.value.message == (
        f"prompts file {prompts}: prompts[1].prompt: is empty; give the prompt's text, e.g. a fox running "
        "through snow"
    )
