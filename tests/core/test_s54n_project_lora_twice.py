"""A project scene naming one LoRA file twice is refused by the scene's field, not crashed on."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.project import plan_project
from tests.core.test_project import edit, make
from tests.lora_files import write_lora


def test_a_scene_with_one_lora_twice_is_refused_naming_it(tmp_path: Path) -> None:
    # Since the request refuses one LoRA twice, planning such a scene raised a bare ValidationError
    # (an internal error); before that the file was stacked twice without a word.
    folder = make(tmp_path / "film", [{"id": "a", "prompt": "a fox", "duration": 1.0}])
    write_lora(tmp_path / "film" / "l.safetensors")
    twice = [{"path": "l.safetensors"}, {"path": "./l.safetensors", "strength": 0.5}]
    edit(folder, lambda d: d["scenes"][0].update({"model": "wan-tiny", "loras": twice}))
    with pytest.raises(InvalidRequest) as err:
        plan_project(folder)
    assert err.value.param is not None and err.value.param.endswith("scenes[0].loras[1]"), err.value.param
    assert (
        "l.safetensors is given twice; give each LoRA once, with the one strength you want"
        in err.value.message
    )
