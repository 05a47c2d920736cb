"""-o names a folder takes (up to 255 bytes) are written; longer ones and folders are told so, not crashed on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.atomic import check_writable, new_file_beside
from reelgen.core.errors import InvalidRequest


@pytest.mark.parametrize(
    "command", [["generate", "a red circle"], ["enhance", "in.mp4", "--interpolate", "2"]]
)
def test_an_output_name_too_long_for_any_folder_is_told_its_length(
    command: list[str], tmp_path: Path
) -> None:
    name = "f" * 300 + ".mp4"
    result = CliRunner().invoke(app, [*command, "-o", str(tmp_path / name)])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert "is 304 bytes long, and a folder or file name may have at most 255" in said
    assert "internal error" not in said


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("..", ".. is a folder; give a file name in it such as ../clip.mp4"),
        (".", ". is a folder; give a file name in it such as clip.mp4"),
        ("clips/", "clips/ names a folder (it ends in /); give a file name in it such as clips/clip.mp4"),
    ],
)
def test_a_folder_given_as_the_output_is_told_so(text: str, words: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["generate", "a red circle", "-o", text])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert words in said  # not "no name before .."


def test_a_name_of_250_bytes_is_written_as_the_folder_takes_it(tmp_path: Path) -> None:
    # Its hidden working name was 14 bytes longer, past 255: refused as "cannot write into <folder>".
    target = tmp_path / ("a" * 246 + ".mp4")
    check_writable(target)
    hidden = new_file_beside(target)
    assert len(os.fsencode(hidden.name)) <= 255 and hidden.suffix == ".mp4"
    hidden.rename(target)
    assert target.is_file()
    with pytest.raises(
        InvalidRequest, match=r"is 260 bytes long, and a folder or file name may have at most 255"
    ):
        check_writable(tmp_path / ("b" * 256 + ".mp4"))


def test_a_folder_name_too_long_on_the_way_is_told_its_length(tmp_path: Path) -> None:
    with pytest.raises(
        InvalidRequest, match=r"is 300 bytes long, and a folder or file name may have at most 255"
    ):
        check_writable(tmp_path / ("d" * 300) / "a.mp4")  # it was an internal error (OSError 36)


def test_a_name_that_fits_but_whose_record_does_not_is_told_so(tmp_path: Path) -> None:
    # 255 bytes: the video's name fits, its record's (.json, one byte longer) does not; an internal error.
    result = CliRunner().invoke(app, ["generate", "a red circle", "-o", str(tmp_path / ("a" * 251 + ".mp4"))])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert "is 256 bytes long" in said and "(its record, NAME.json, goes beside it)" in said
