"""`reelgen generate` given inputs its run would drop: refused before the model loads, naming the option."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.encode import write_video
from reelgen.core.types import Video

runner = CliRunner()


def said(result: object) -> str:
    """The command's output with rich's line wrapping undone."""
    return " ".join(str(getattr(result, "output", "")).split())


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    """Two images and a short clip, as a person has them lying about."""
    start, end = tmp_path / "start.png", tmp_path / "end.png"
    Image.new("RGB", (64, 64), (200, 30, 30)).save(start)
    Image.new("RGB", (64, 64), (30, 30, 200)).save(end)
    clip = tmp_path / "clip.mp4"
    write_video(Video(np.full((9, 64, 64, 3), 90, np.uint8), Fraction(24)), clip)
    return {"start": start, "end": end, "clip": clip}


@pytest.mark.parametrize(
    ("extra", "task"),
    [
        (["--keyframe", "KEY"], "keyframes"),  # keyframes win the task over a video
        (["--task", "t2v"], "t2v"),
        (["--task", "i2v", "--image", "START"], "i2v"),
    ],
)
def test_a_video_the_run_would_not_read_is_refused(
    inputs: dict[str, Path], tmp_path: Path, extra: list[str], task: str
) -> None:
    out = tmp_path / "never.mp4"
    typed = [a.replace("KEY", f"4:{inputs['end']}").replace("START", str(inputs["start"])) for a in extra]
    args = ["generate", "a fox", "-m", "ltx-tiny", "--video", str(inputs["clip"]), *typed, "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert f"--video is read only by tasks v2v and extend; task {task} would ignore it" in said(result)
    assert not out.exists()


def test_two_keyframes_on_one_frame_are_refused(inputs: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "never.mp4"
    keys = ["--keyframe", f"0:{inputs['start']}", "--keyframe", f"0:{inputs['end']}"]
    result = runner.invoke(app, ["generate", "a fox", "-m", "wan-vace-tiny", *keys, "-o", str(out)])
    assert result.exit_code == 2, result.output
    # Wan VACE kept only the last image given for a frame, and said nothing.
    assert "--keyframe 0 is pinned already by an earlier keyframe; give each keyframe its own frame" in said(
        result
    )
    assert not out.exists()


def test_a_still_image_given_as_the_video_is_said_to_go_as_the_image(
    inputs: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "never.mp4"
    result = runner.invoke(
        app, ["generate", "a fox", "-m", "ltx-tiny", "--video", str(inputs["start"]), "-o", str(out)]
    )
    assert result.exit_code == 2, result.output
    # Read as a video of one frame it was "lasts 0.04 s (1 frames at 25 fps) ... ask for 1 frames or fewer".
    assert f"--video: {inputs['start']} is a still image (PNG)" in said(result)
    assert "give it as the start image (--image)" in said(result) and not out.exists()


def test_a_video_cut_short_is_refused_not_taken_as_a_shorter_clip(tmp_path: Path) -> None:
    whole, cut, out = tmp_path / "whole.mp4", tmp_path / "cut.mp4", tmp_path / "never.mp4"
    noise = np.random.default_rng(0).integers(0, 256, (48, 64, 64, 3), dtype=np.uint8)  # big frames
    write_video(Video(noise, Fraction(24)), whole)
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])  # a download that stopped
    result = runner.invoke(app, ["generate", "a fox", "-m", "ltx-tiny", "--video", str(cut), "-o", str(out)])
    assert result.exit_code == 2, result.output
    # It was read as the frames that were there: "lasts 0.96 s (23 frames at 24 fps) ...".
    assert f"--video: {cut} is cut short: its header lists 48 frames, but the file stops in frame" in said(
        result
    )
    assert "give the whole file" in said(result) and not out.exists()


@pytest.mark.parametrize(("given", "model"), [("video", "ltx-tiny"), ("keyframe", "ltx-tiny")])
def test_auto_picks_a_model_for_the_task_the_inputs_imply(
    inputs: dict[str, Path], tmp_path: Path, given: str, model: str
) -> None:
    out = tmp_path / "auto.mp4"
    typed = ["--video", str(inputs["clip"])] if given == "video" else ["--keyframe", f"0:{inputs['start']}"]
    result = runner.invoke(app, ["generate", "a fox", *typed, "-o", str(out), "-q"])
    # auto chose for t2v (reelgen-micro), which then "cannot do v2v" / "cannot do keyframes".
    assert result.exit_code == 0, result.output
    assert f"model: {model}" in said(result) and out.is_file()
