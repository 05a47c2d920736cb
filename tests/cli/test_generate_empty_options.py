"""`reelgen generate` and `animate` given empty file and method options: refused by name, not taken as left out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def said(result: Any) -> str:
    return " ".join(result.output.replace("│", " ").split())  # a usage error's box wraps lines


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--image", ""], "'--image': it is empty; give an image file, or leave it out"),
        (["--end-image", " "], "'--end-image': it is empty; give an image file, or leave it out"),
        (["--video", ""], "'--video': it is empty; give a video file, or leave it out"),
        (["--weights", ""], "'--weights': it is empty; give a folder or checkpoint file, or leave it out"),
        (["--lora", "a.safetensors", "--lora", ""], "'--lora': it is empty; give a LoRA file, or leave"),
        (["--interpolate", "2", "--interpolator", ""], "'--interpolator': it is empty; give rife, flow or"),
        (["--upscale", "2", "--upscaler", ""], "'--upscaler': it is empty; give esrgan, lanczos, a"),
    ],
)
def test_an_empty_file_or_method_is_refused_not_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    # Dropped, --image "" made a text-to-video and --upscaler "" the default upscaler, exit 0.
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["generate", "a fox", "-m", "wan-tiny", *args])
    assert result.exit_code == 2, result.output
    assert f"Invalid value for {message}" in said(result)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["", "a fox"], "'image': it is empty; give an image file"),
        (["start.png", "a fox", "--end-image", ""], "'--end-image': it is empty; give an image file"),
    ],
)
def test_animate_refuses_an_empty_image(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["animate", *args, "-m", "wan-i2v-tiny"])
    assert result.exit_code == 2, result.output
    assert f"Invalid value for {message}" in said(result)
    assert "(--image)" not in result.output  # animate has no --image: its image is the first argument
    assert list(tmp_path.iterdir()) == []
