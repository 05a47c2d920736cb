"""``reelgen enhance``'s refusals of the -o name call it ``--output``, as generate's do."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.encode import write_video
from reelgen.core.types import Video

runner = CliRunner()
NOBODY = "http://127.0.0.1:9"  # nothing answers: the name is refused before any request


def _said(result: object) -> str:
    return " ".join(result.output.replace("│", " ").split())  # type: ignore[attr-defined]


def test_a_name_no_video_is_said_of_the_output_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It said "error: output: a.json does not end in ...", a name nobody typed.
    monkeypatch.chdir(tmp_path)
    write_video(Video(np.zeros((3, 16, 16, 3), np.uint8), Fraction(8)), tmp_path / "in.mp4")
    result = runner.invoke(app, ["enhance", "in.mp4", "--upscale", "2", "-o", "a.mkv.json", "-q"])
    assert result.exit_code == 2, result.output
    assert "error: --output: a.mkv.json does not end in .mp4," in _said(result), _said(result)


@pytest.mark.parametrize("server", [[], ["--server", NOBODY]])
def test_an_output_that_is_the_input_is_said_of_the_output_option(tmp_path: Path, server: list[str]) -> None:
    clip = write_video(Video(np.zeros((3, 16, 16, 3), np.uint8), Fraction(8)), tmp_path / "in.mp4")
    same = runner.invoke(app, ["enhance", str(clip), "--upscale", "2", "-o", str(clip), "-q", *server])
    assert same.exit_code == 2, same.output
    assert f"error: --output {clip} is the input; give another file name" in _said(same), _said(same)


def test_an_output_that_is_a_folder_is_said_of_the_output_option(tmp_path: Path) -> None:
    clip = write_video(Video(np.zeros((3, 16, 16, 3), np.uint8), Fraction(8)), tmp_path / "in.mp4")
    folder = runner.invoke(app, ["enhance", str(clip), "--upscale", "2", "-o", str(tmp_path), "-q"])
    assert folder.exit_code == 2, folder.output
    assert f"error: --output {tmp_path} is a folder" in _said(folder), _said(folder)
