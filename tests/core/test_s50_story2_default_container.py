"""A film named for another container than the default mp4 is told mp4 is the default, not "asked for",
and how to ask for the container its name ends in, in the words of the command or file it came from."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.project import ProjectFolder, export_project

FILMS = "(films are .mp4, .mov, .mkv or .webm; .gif makes a looping GIF without sound)"


def _refused(root: Path, export: str, output: str | None = None, **overrides: str) -> InvalidRequest:
    root.mkdir(exist_ok=True)
    (root / "project.yaml").write_text(
        f"title: x\n{export}scenes:\n  - {{id: intro, title_card: {{text: Hi}}, duration: 1}}\n"
    )
    with pytest.raises(InvalidRequest) as err:
        export_project(ProjectFolder.find(root), output, overrides=overrides, given_as="--")
    assert not list(root.glob("**/*.mkv")) + list(root.glob("**/*.avi"))  # nothing half-written
    return err.value


def test_the_files_own_output_for_mkv_with_no_container_says_mp4_is_the_default(tmp_path: Path) -> None:
    # Was "the container asked for (export.container)": the file has no container line to find.
    refused = _refused(tmp_path, "export: {output: x.mkv}\n")
    assert refused.message == (
        "export.output: x.mkv does not end in .mp4, the container a film gets when none is set; "
        "name it x.mp4, or ask for mkv with --container mkv or container: mkv under export: in the "
        f"project file {FILMS}"
    )
    assert refused.param == "export.output"


def test_an_avi_output_option_says_mp4_is_the_default_and_the_suffix_picks(tmp_path: Path) -> None:
    refused = _refused(tmp_path, "", str(tmp_path / "y.avi"))
    assert refused.message == (
        "--output: y.avi does not end in .mp4, the container a film gets when none is set; "
        f"name it y.mp4 or another film's name, whose suffix picks the container {FILMS}"
    )


def test_a_container_someone_set_is_still_the_one_asked_for(tmp_path: Path) -> None:
    refused = _refused(tmp_path, "export: {output: x.mkv, container: mov}\n")
    assert refused.message == (
        f"export.output: x.mkv does not end in .mov, the container asked for (export.container); "
        f"name it x.mov {FILMS}"
    )
    refused = _refused(tmp_path, "export: {output: x.mkv}\n", container="mov")
    assert "the container asked for (--container); name it x.mov" in refused.message
