"""A shoot-out prompt YAML reads as a number, a date or a truth value is taken as written, or refused
saying how to write it: ``prompt: 1984`` and ``id: 2024-01-05`` were "Input should be a valid string".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.shootout import load_prompts


def _load(tmp_path: Path, text: str) -> object:
    (tmp_path / "prompts.yaml").write_text(text)
    return load_prompts(tmp_path / "prompts.yaml")


def test_a_number_is_a_prompt_as_written(tmp_path: Path) -> None:
    loaded = _load(tmp_path, "prompts: [{id: novel, prompt: 1984, negative_prompt: 2001}]\n")
    entry = loaded.prompts[0]  # type: ignore[attr-defined]
    assert (entry.prompt, entry.negative_prompt) == ("1984", "2001")


def test_a_date_id_says_to_quote_it(tmp_path: Path) -> None:
    with pytest.raises(InvalidRequest) as caught:
        _load(tmp_path, "prompts: [{id: 2024-01-05, prompt: a fox}]\n")
    assert caught.value.message == (
        f"prompts file {tmp_path / 'prompts.yaml'}: prompts[0].id: is a date, 2024-01-05, not text; "
        'put it in quotes to fill it in as written: "2024-01-05"'
    )


def test_a_truth_value_prompt_says_to_quote_it(tmp_path: Path) -> None:
    with pytest.raises(InvalidRequest) as caught:
        _load(tmp_path, "prompts: [{id: a, prompt: x, negative_prompt: no}]\n")
    assert "prompts[0].negative_prompt: is true or false" in caught.value.message
    assert 'put it in quotes to fill it in as written: "no"' in caught.value.message
