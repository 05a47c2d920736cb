"""project.yaml with ``colour: #fff`` inside ``{...}`` says the ``#`` started a comment, not "the file ends"."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.project import ProjectFolder

CARD = "title: x\nscenes:\n  - id: a\n    title_card: {text: Hi, colour: #fff}\n"


@pytest.mark.parametrize("after", ["", "    duration: 2\n"], ids=["last-line", "lines-after"])
def test_a_hash_in_a_flow_mapping_is_said_to_start_a_comment(tmp_path: Path, after: str) -> None:
    """It was "the file ends where a value should follow", or "expected ',' or '}'" a line later."""
    (tmp_path / "project.yaml").write_text(CARD + after)
    with pytest.raises(InvalidRequest) as caught:
        ProjectFolder.find(tmp_path).load()
    said = caught.value.message
    assert said.startswith("project.yaml line 4, column 36: the '#' of #fff starts a comment in YAML"), said
    assert said.endswith('put the colour in quotes: colour: "#fff"')
