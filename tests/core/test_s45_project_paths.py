"""Paths in a project file: blank ones are told empty, and a home of no user is no internal error."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.project import plan_project
from tests.core.test_project import edit, make


@pytest.mark.parametrize(
    ("field", "said"),
    [
        ({"start_image": ""}, "start_image: an empty name; give a file, or leave it out"),
        ({"model": "wan-tiny", "loras": [{"path": ""}]}, "loras[0].path is empty; give a .safetensors file"),
        ({"start_image": "~nouser/x.png"}, "~nouser/x.png does not exist"),
    ],
)
def test_a_blank_or_homeless_path_in_a_scene_is_told_what_it_is(
    field: dict[str, object], said: str, tmp_path: Path
) -> None:
    # Blank, it was the project folder ("film is a folder"); ~nouser was "internal error (RuntimeError)".
    folder = make(tmp_path / "film", [{"id": "a", "prompt": "a fox", "duration": 1.0}])
    edit(folder, lambda d: d["scenes"][0].update({"model": "wan-i2v-tiny", **field}))
    with pytest.raises(InvalidRequest) as err:
        plan_project(folder)
    assert said in err.value.message
    assert "is a folder" not in err.value.message
