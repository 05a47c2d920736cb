"""A shoot-out whose report folder holds a file or folder in the report's way is refused before any trial."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.shootout import PromptsFile, run_shootout


@pytest.mark.parametrize(
    ("in_the_way", "said"),
    [
        ("clips", "clips is a file, and the report keeps its clips in a folder of that name"),
        ("sheets", "sheets is a file, and the report keeps its sheets in a folder of that name"),
        ("plots", "plots is a file"),
        ("results.json/", "results.json is a folder; reelgen keeps a file of that name there"),
    ],
)
def test_a_name_in_the_way_is_refused_before_any_trial(tmp_path: Path, in_the_way: str, said: str) -> None:
    # Every trial failed on its clip, or the report failed once every trial had run.
    folder = tmp_path / "compare"
    path = folder / in_the_way.rstrip("/")
    if in_the_way.endswith("/"):
        path.mkdir(parents=True)
    else:
        folder.mkdir()
        path.write_text("mine")
    prompts = PromptsFile.model_validate({"prompts": ["a fox"]})
    with pytest.raises(InvalidRequest, match=said):
        run_shootout(["wan-tiny"], prompts, folder)
    assert sorted(p.name for p in folder.iterdir()) == [path.name]
