"""`reelgen enhance FOLDER` of numbered frames (an image sequence) says how to make the video it reads of them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def _frames(folder: Path, names: list[str]) -> Path:
    folder.mkdir()
    for k, name in enumerate(names):
        Image.fromarray(np.full((48, 64, 3), 40 * k, np.uint8)).save(folder / name)
    return folder


def _refused(folder: Path) -> str:
    result = runner.invoke(
        app, ["enhance", str(folder), "-o", str(folder.parent / "out.mp4"), "--upscale", "2"]
    )
    assert result.exit_code == 2, result.output
    assert not (folder.parent / "out.mp4").exists()
    return " ".join(result.output.split())


def test_a_folder_of_numbered_frames_is_told_how_to_make_a_video_of_them(tmp_path: Path) -> None:
    folder = _frames(tmp_path / "render", [f"frame_{n:04d}.png" for n in range(10, 13)] + ["notes.png"])
    # It said only "input: .../render is a folder; give a video file".
    assert (
        f"error: input: {folder} is a folder of 3 numbered PNG frames (an image sequence); enhance reads a video "
        f"file: make one of them first, e.g. `ffmpeg -framerate 24 -start_number 10 -i {folder}/frame_%04d.png "
        "-c:v ffv1 render.mkv`, then enhance render.mkv"
    ) in _refused(folder)


def test_a_folder_without_frames_is_still_just_a_folder(tmp_path: Path) -> None:
    folder = _frames(tmp_path / "stuff", ["cover.png"])
    assert _refused(folder) == f"error: input: {folder} is a folder; give a video file"


def test_a_pattern_of_frames_is_told_how_to_make_a_video_of_them(tmp_path: Path) -> None:
    folder = _frames(tmp_path / "render", ["f001.png", "f002.png"])
    pattern = f"{folder}/f%03d.png"
    result = runner.invoke(app, ["enhance", pattern, "-o", str(tmp_path / "out.mp4"), "--upscale", "2"])
    # It said "input: file .../f%03d.png does not exist".
    assert result.exit_code == 2, result.output
    assert (
        f"error: input: {pattern} is a pattern of frames (an image sequence); enhance reads a video file: make one "
        f"of them first, e.g. `ffmpeg -framerate 24 -i {pattern} -c:v ffv1 render.mkv`, then enhance render.mkv"
    ) in " ".join(result.output.split())
