"""-o words: a name ending in / names a folder (existing or not), and every command refuses a non-video name alike."""

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


def _said(result: object) -> str:
    return " ".join(result.output.replace("│", " ").split())  # type: ignore[attr-defined]


def test_a_name_ending_in_a_slash_is_said_to_name_a_folder_not_to_be_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "dir/ is a folder" while no dir existed: a person looked for a folder that was not there.
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["generate", "x", "-m", "ltx-tiny", "-o", "dir/"])
    assert result.exit_code == 2, result.output
    said = _said(result)
    assert "dir/ names a folder (it ends in /); give a file name in it such as dir/clip.mp4" in said, said
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "command",
    [["enhance", "in.mp4", "--upscale", "2"], ["generate", "x", "-m", "ltx-tiny"]],
)
def test_a_name_no_video_is_refused_in_the_same_words_by_each_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    # enhance said "output a.json: unknown container .json; valid: .mp4, ..." where generate and replay
    # said "does not end in .mp4, ... or .gif; give a name such as a.mp4".
    monkeypatch.chdir(tmp_path)
    write_video(Video(np.zeros((3, 16, 16, 3), np.uint8), Fraction(8)), tmp_path / "in.mp4")
    result = runner.invoke(app, [*command, "-o", "a.json", "-q"])
    assert result.exit_code == 2, result.output
    said = _said(result)
    assert "a.json does not end in .mp4, .mov, .mkv, .webm or .gif; give a name such as a.mp4" in said, said
    assert "unknown container" not in said
    assert not (tmp_path / "a.json").exists()
