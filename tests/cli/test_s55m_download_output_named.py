"""``reelgen download -o NAME`` refusals name the option, ``--output``, as every other command's do."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

VIDEO = "video_" + "0" * 32
NOWHERE = "http://127.0.0.1:9"  # nothing answers: the name is refused before any request


def _said(result: object) -> str:
    return " ".join(result.output.split())  # type: ignore[attr-defined]


@pytest.mark.parametrize("flag", ["-o", "--output"])
def test_a_video_under_an_image_name_is_said_of_the_output_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flag: str
) -> None:
    # It said "output x.png: the video is an MP4 file; ...", naming no option.
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["download", VIDEO, flag, "x.png", "--server", NOWHERE])
    assert result.exit_code == 2, result.output
    said = _said(result)
    assert said.startswith("error: --output x.png: the video is an MP4 file; give a name ending in .mp4"), (
        said
    )
    assert "cannot reach" not in said and list(tmp_path.iterdir()) == []


def test_a_folder_is_said_of_the_output_option(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["download", VIDEO, "-o", str(tmp_path), "--server", NOWHERE])
    assert result.exit_code == 2, result.output
    said = _said(result)
    assert said.startswith(f"error: --output {tmp_path} is a folder; give a file path in it, e.g. -o "), said
    assert list(tmp_path.iterdir()) == []


def test_a_path_under_a_file_is_said_of_the_output_option(tmp_path: Path) -> None:
    blocker = tmp_path / "notes"
    blocker.write_text("not a folder\n")
    target = blocker / "fox.mp4"
    result = CliRunner().invoke(app, ["download", VIDEO, "-o", str(target), "--server", NOWHERE])
    assert result.exit_code == 2, result.output
    said = _said(result)
    assert said.startswith(f"error: --output {target}: {blocker} is a file, not a folder"), said
    assert blocker.read_text() == "not a folder\n"
