"""A request's input files as written by hand (a script, a project file): an empty name is refused by its field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from reelgen.core.errors import InvalidRequest, from_validation_error
from reelgen.core.project.folder import new_project
from reelgen.core.spec.request import GenerationRequest


@pytest.mark.parametrize("field", ["start_image", "end_image", "source_video", "speech_audio"])
def test_an_empty_input_file_is_refused_not_taken_as_left_out(field: str) -> None:
    # An empty start_image once made a text-to-video from an image-to-video request, saying nothing.
    with pytest.raises(ValidationError) as refused:
        GenerationRequest(model="wan-i2v-tiny", prompt="a fox", **{field: ""})
    said = from_validation_error(refused.value)
    assert said.param == field
    assert said.message == f"{field}: an empty name; give a file, or leave it out"


def test_a_project_scene_with_an_empty_start_image_is_named(tmp_path: Path) -> None:
    folder = new_project(tmp_path / "film")
    data = yaml.safe_load(folder.file.read_text())
    data["scenes"][1]["start_image"] = ""
    folder.file.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(InvalidRequest) as refused:
        folder.load()
    assert "scenes[1]" in refused.value.message
    assert refused.value.message.endswith("start_image: an empty name; give a file, or leave it out")
