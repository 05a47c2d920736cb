"""A project.yaml choice written in capitals, with spaces or with '-' is told the name it meant."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from reelgen.core.errors import InvalidRequest
from reelgen.core.project import ProjectFolder


def refusal(folder: Path, **scene: Any) -> str:
    data = {"title": "T", "scenes": [{"id": "a", "prompt": "a boat", "duration": 1, **scene}]}
    (folder / "project.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(InvalidRequest) as caught:
        ProjectFolder.find(folder).load()
    return caught.value.message


@pytest.mark.parametrize("given", ["WIPE_LEFT", "Wipe Left", "wipe-left"])
def test_a_transition_written_another_way_is_told_wipe_left(tmp_path: Path, given: str) -> None:
    message = refusal(tmp_path, transition={"type": given, "duration": 0.5})
    assert message.startswith(
        f"scene 'a' (scenes[0]): transition.type: '{given}' is not a choice; write one of cut, fade,"
    )
    assert message.endswith("; did you mean wipe_left?")


def test_a_transition_in_capitals_is_told_fade(tmp_path: Path) -> None:
    assert refusal(tmp_path, transition={"type": "FADE"}).endswith("; did you mean fade?")


@pytest.mark.parametrize("given", ["FIRST_FRAME", "First Frame"])
def test_a_continuation_written_another_way_is_told_first_frame(tmp_path: Path, given: str) -> None:
    message = refusal(tmp_path, windows={"continuation": given})
    assert message == (
        f"scene 'a' (scenes[0]): windows.continuation: '{given}' is not a choice; write one of auto, extend "
        "or first_frame; did you mean first_frame?"
    )
