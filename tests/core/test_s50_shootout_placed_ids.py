"""A prompt's id by place (p1, p2 ...) that another prompt names as its own is said as such."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.shootout import load_prompts


def test_an_id_given_by_place_and_by_name_says_which_prompts_hold_it(tmp_path: Path) -> None:
    path = tmp_path / "prompts.yaml"
    path.write_text("prompts:\n  - a fox\n  - id: p1\n    prompt: an owl\n")
    # Said as "prompt ids must differ; repeated: p1", of a file that wrote p1 once.
    with pytest.raises(InvalidRequest) as caught:
        load_prompts(path)
    assert caught.value.message == (
        f"prompts file {path}: prompts[0] takes the id p1 by its place (it names none), and prompts[1] "
        "names p1 as its own; give prompts[0] an id, or prompts[1] another"
    )


def test_ids_by_place_beside_other_named_ids_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "prompts.yaml"
    path.write_text("prompts:\n  - a fox\n  - id: p1b\n    prompt: an owl\n  - a heron\n")
    assert [p.id for p in load_prompts(path).prompts] == ["p1", "p1b", "p3"]
