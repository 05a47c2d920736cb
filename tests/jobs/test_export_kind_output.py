"""A server export's file name is checked as a local export checks it: the valid extensions are named."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.project import ProjectFolder
from reelgen.jobs.kinds.export import export_payload
from tests.jobs.projects import make_film


@pytest.fixture
def folder(tmp_path: Path) -> ProjectFolder:
    return ProjectFolder.find(make_film(tmp_path / "film"))


def test_a_webm_name_for_an_mp4_export_names_the_container_and_the_valid_extensions(
    folder: ProjectFolder,
) -> None:
    """It said only "'x.webm' must be a file name ending in .mp4, with no folder": not which setting
    makes the .mp4 nor which extensions a film may have."""
    with pytest.raises(InvalidRequest) as caught:
        export_payload(folder, {"output": "x.webm"})
    message = caught.value.message
    assert caught.value.param == "export_settings.output"
    assert "x.webm does not end in .mp4, the container a film gets when none is set" in message
    assert "ask for webm with export_settings.container or container: webm under export:" in message
    assert "name it x.mp4" in message
    assert ".mp4, .mov, .mkv or .webm" in message


def test_a_webm_name_in_capitals_for_a_webm_export_is_taken_as_a_local_export_takes_it(
    folder: ProjectFolder,
) -> None:
    """The server refused x.WEBM for a webm export ("must be a file name ending in .webm") where
    `reelgen project export` takes it; now both go on to the next check (here: nothing is rendered)."""
    with pytest.raises(InvalidRequest, match="render them first"):
        export_payload(folder, {"output": "x.WEBM", "container": "webm"})


def test_a_name_in_a_folder_is_still_refused(folder: ProjectFolder) -> None:
    with pytest.raises(InvalidRequest, match="with no folder"):
        export_payload(folder, {"output": "sub/x.mp4"})
