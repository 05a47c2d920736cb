"""A project.yaml choice that is none of its field's is told the choices in reelgen's words, and the near one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from reelgen.core.errors import InvalidRequest
from reelgen.core.project import ProjectFolder

POSITIONS = "top_left, top, top_right, left, center, right, bottom_left, bottom or bottom_right"


def refusal(folder: Path, export: dict[str, Any]) -> str:
    data = {"title": "T", "scenes": [{"id": "a", "prompt": "a boat", "duration": 1}], "export": export}
    (folder / "project.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(InvalidRequest) as caught:
        ProjectFolder.find(folder).load()
    return caught.value.message


@pytest.mark.parametrize(
    ("export", "said"),
    [
        (  # it was pydantic's "export.fit: Input should be 'contain' or 'cover'"
            {"fit": "stretchy"},
            "export.fit: 'stretchy' is not a choice; write contain or cover",
        ),
        (
            {"fit": "contian"},
            "export.fit: 'contian' is not a choice; write contain or cover; did you mean contain?",
        ),
        (  # a word for the choice inside another word: no typo of any choice, so nothing near was said
            {"texts": [{"text": "hi", "start": 0, "end": 1, "position": "middle-ish"}]},
            f"export.texts[0].position: 'middle-ish' is not a choice; write one of {POSITIONS}; did you mean center?",
        ),
        (
            {"texts": [{"text": "hi", "start": 0, "end": 1, "position": 3}]},
            f"export.texts[0].position: 3 is not a choice; write one of {POSITIONS}",
        ),
    ],
)
def test_a_choice_not_taken_names_the_choices(tmp_path: Path, export: dict[str, Any], said: str) -> None:
    assert refusal(tmp_path, export) == said
