"""A server export and a render asked to export after it check the film's name in one place, so a
name with a folder, of another container, or a GIF's is refused in the same words by both."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.project import ProjectFolder
from reelgen.core.project.export import export_settings
from reelgen.jobs.kinds.export import export_payload, film_target
from reelgen.jobs.kinds.project import project_job
from tests.jobs.projects import make_film


@pytest.fixture
def folder(tmp_path: Path) -> ProjectFolder:
    return ProjectFolder.find(make_film(tmp_path / "film"))


def _refusal(call: Callable[[], object]) -> tuple[str, str | None]:
    with pytest.raises(InvalidRequest) as caught:
        call()
    return caught.value.message, caught.value.param


@pytest.mark.parametrize(
    ("output", "said"),
    [
        (
            "films/x.mp4",
            "export_settings.output: 'films/x.mp4' must be a file name ending in .mp4, with no folder",
        ),
        ("x.webm", "export_settings.output: x.webm does not end in .mp4"),
        ("x.gif", "export_settings.output: x.gif would be an animated GIF, which the server does not make"),
    ],
)
def test_export_and_render_then_export_refuse_a_film_name_alike(
    folder: ProjectFolder, output: str, said: str
) -> None:
    overrides = {"output": output}
    alone = _refusal(lambda: export_payload(folder, overrides))
    after_render = _refusal(lambda: project_job(folder, render=True, export=True, overrides=overrides))
    assert alone == after_render
    assert alone[0].startswith(said)
    assert alone[1] == "export_settings.output"


def test_a_good_name_is_the_film_in_exports(folder: ProjectFolder) -> None:
    project = folder.load()
    for output, name in (("night.mp4", "night.mp4"), ("night", "night.mp4"), ("Night.MP4", "Night.MP4")):
        overrides = {"output": output}
        settings = export_settings(project.export, overrides)
        assert film_target(folder, project, settings, overrides) == folder.exports / name
