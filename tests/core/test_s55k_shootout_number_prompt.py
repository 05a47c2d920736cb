"""A shoot-out prompts file line ``- 1984`` is the text of a prompt, as ``- a fox`` is (it was "prompts[0]
must be an object of named fields, not a number"); ``- yes`` says to quote it, as ``prompt: yes`` does."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.shootout.spec import load_prompts


def test_a_number_line_is_the_text_of_a_prompt_with_the_id_its_place_gives(tmp_path: Path) -> None:
    path = tmp_path / "prompts.yaml"
    path.write_text("prompts:\n  - 1984\n  - 2.5\n  - a fox in snow\n")
    prompts = load_prompts(path).prompts
    assert [(p.id, p.prompt) for p in prompts] == [("p1", "1984"), ("p2", "2.5"), ("p3", "a fox in snow")]


def test_a_number_line_takes_its_place_id_so_a_repeat_of_it_is_named(tmp_path: Path) -> None:
    path = tmp_path / "prompts.yaml"
    path.write_text("prompts:\n  - 7\n  - {id: p1, prompt: a fox}\n")
    with pytest.raises(InvalidRequest) as caught:
        load_prompts(path)
    assert "prompts[0] takes the id p1 by its place (it names none), and prompts[1] names p1" in str(
        caught.value.message
    )


def test_a_truth_value_line_says_to_quote_it(tmp_path: Path) -> None:
    path = tmp_path / "prompts.yaml"
    path.write_text("prompts:\n  - yes\n")
    with pytest.raises(InvalidRequest) as caught:
        load_prompts(path)
    message = caught.value.message
    assert "prompts[0]" in message and "is true or false" in message, message
    assert 'put it in quotes to fill it in as written: "yes"' in message, message
    assert "object of named fields" not in message


def test_a_bare_dash_line_is_an_empty_prompt(tmp_path: Path) -> None:
    path = tmp_path / "prompts.yaml"
    path.write_text("prompts:\n  - a fox\n  -\n")
    with pytest.raises(InvalidRequest) as caught:
        load_prompts(path)
    message = caught.value.message
    assert "prompts[1].prompt: is empty; give the prompt's text" in message, message
