"""An output name whose suffix is not the container's is refused with a name that keeps what the person chose."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.export import ExportSettings, Segment, SettingNames, TitleCard, check_output, export
from reelgen.core.project import ProjectFolder
from reelgen.core.project.export import export_target


@pytest.mark.parametrize(
    ("name", "advice"),
    [
        ("film.v2", "name it film.v2.mp4"),  # was "name it film.mp4": the v2 was lost
        ("take 1.0", "name it take 1.0.mp4"),
        ("film.mkv", "name it film.mp4"),
        ("film.json", "name it film.mp4"),
        ("film.AVI", "name it film.mp4"),
    ],
)
def test_the_name_offered_keeps_a_dot_that_is_part_of_the_name(name: str, advice: str) -> None:
    with pytest.raises(InvalidRequest) as refused:
        check_output(Path(name), ExportSettings())
    assert f"{name} does not end in .mp4, the container a film gets when none is set; {advice}" in (
        refused.value.message
    )


def test_a_name_whose_record_no_folder_could_hold_is_refused_as_too_long(tmp_path: Path) -> None:
    # 255 bytes fit a folder, but its record's name (.json) is 256: asking the disk about it was an
    # internal error ("File name too long").
    with pytest.raises(InvalidRequest) as refused:
        check_output(tmp_path / ("c" * 251 + ".mp4"), ExportSettings())
    assert refused.value.message.endswith(
        "is 256 bytes long, and a folder or file name may have at most 255; give a shorter one "
        "(its record, NAME.json, goes beside it)"
    )


def test_the_longest_name_taken_is_written(tmp_path: Path) -> None:
    # 250 bytes: its record is 251 and the hidden names it is written under first are cut to fit (a limit
    # of 240 refused names that would have been written).
    out = tmp_path / ("c" * 246 + ".mp4")
    settings = ExportSettings(width=32, height=32, fps=4)
    assert export([Segment("one", 0.5, card=TitleCard(text="One"))], settings, out).path.is_file()
    assert out.with_suffix(".json").is_file()


def test_a_long_title_gives_a_default_name_a_file_can_have(tmp_path: Path) -> None:
    # A title of 300 letters (the most it may have) made a name of 304: no export under the default name.
    (tmp_path / "project.yaml").write_text(
        f"title: {'a' * 300}\nscenes:\n  - {{title_card: {{text: One}}, duration: 1}}\n"
    )
    folder = ProjectFolder.find(tmp_path)
    target = export_target(folder, folder.load(), ExportSettings())
    assert target.name == "a" * 100 + ".mp4"


def test_an_output_that_cannot_be_written_is_named_as_the_person_gave_it(tmp_path: Path) -> None:
    # "-o /proc/x.mp4" was told "output /proc/x.mp4: ...", where every other message says "--output".
    (tmp_path / "x.mp4").mkdir()
    names = SettingNames(frozenset({"output"}), "--")
    with pytest.raises(InvalidRequest) as refused:
        export(
            [Segment("one", 0.5, card=TitleCard(text="One"))],
            ExportSettings(),
            tmp_path / "x.mp4",
            names=names,
        )
    assert refused.value.message.startswith(f"--output {tmp_path / 'x.mp4'} is a folder")
    assert refused.value.param == "--output"


@pytest.mark.parametrize(
    ("given_as", "override", "said"),
    [
        ("--", {"crf": 99}, "--crf: 99 is too large; it takes a whole number from 0 to 63"),
        ("export_settings.", {"width": 0}, "export_settings.width: 0 is too small; it takes a whole number from 1 to 8192"),
        ("--", {"fps": float("nan")}, "--fps: nan is not a finite number; it takes a number above 0 and at most 240"),
    ],
)  # fmt: skip
def test_an_export_override_out_of_range_is_told_the_range(
    given_as: str, override: dict[str, float], said: str
) -> None:
    """`reelgen project export --crf 99` heard only "less than or equal to 63", not that 0 is the other end."""
    from reelgen.core.project.export import export_settings

    with pytest.raises(InvalidRequest) as refused:
        export_settings(ExportSettings(), override, given_as=given_as)
    assert refused.value.message == said
