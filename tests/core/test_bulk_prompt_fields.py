"""Prompts-file entries as YAML writes them: a number as an id, an empty image."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.shootout import load_prompts


def test_a_number_as_an_id_names_the_clips_as_written(tmp_path: Path) -> None:
    # YAML reads `id: 1` as a number; it was refused with "Input should be a valid string".
    path = tmp_path / "prompts.yaml"
    path.write_text("prompts:\n  - {id: 1, prompt: a fox}\n  - {id: 20, prompt: a bird}\n")
    assert [p.id for p in load_prompts(path).prompts] == ["1", "20"]
    # Numbered with zeros: YAML 1.1 read 010 as octal 8 and 007 as 7, naming the clips 8 and 7.
    path.write_text("prompts:\n  - {id: 007, prompt: a fox}\n  - {id: 010, prompt: a bird}\n")
    assert [p.id for p in load_prompts(path).prompts] == ["007", "010"]


@pytest.mark.parametrize("image", ["''", "' '"])
def test_an_empty_image_is_said_to_be_empty(tmp_path: Path, image: str) -> None:
    # It was read as the prompts file's folder: "prompts[0].image: /home/me is a folder".
    path = tmp_path / "prompts.yaml"
    path.write_text(f"prompts:\n  - {{prompt: a fox, image: {image}}}\n")
    with pytest.raises(InvalidRequest, match=r"prompts\[0\]\.image: is empty; give an image file"):
        load_prompts(path)
