"""The tiny Wan models' size rules stop where their transformer's rotary table does (32 patches a side, 32
latent frames): a larger --width, --height or --frames is refused by name, not an internal error mid-run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def said(result: Any) -> str:
    return " ".join(result.output.replace("│", " ").split())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-m", "wan-tiny", "--width", "528"], "--width 528 is outside 32..512"),
        (["-m", "wan22-tiny", "--height", "1024"], "--height 1024 is outside 32..512"),
        (["-m", "wan-vace-tiny", "--frames", "129"], "--frames: 129 frames is outside 1..125"),
    ],
)
def test_past_the_tiny_rotary_table_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    # It was "internal error (RuntimeError: shape '[1, 1, 33, -1]' is invalid for input of size 128)",
    # exit 1, after the model had loaded and a denoising step had begun.
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["generate", "a fox", *args, "-o", "fox.mp4", "-q"])
    assert result.exit_code == 2, result.output
    assert message in said(result), said(result)
    assert "internal error" not in said(result)
    assert list(tmp_path.iterdir()) == []


def test_the_largest_size_the_rules_allow_renders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    args = ["generate", "a fox", "-m", "wan-tiny", "--width", "512", "--height", "32", "--frames", "1"]
    result = runner.invoke(app, [*args, "-o", "fox.mp4"])
    assert result.exit_code == 0, result.output
    assert "1 frame 512x32" in said(result)
    assert (tmp_path / "fox.mp4").stat().st_size > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-m", "skyreels-tiny", "--width", "528"], "--width 528 is outside 32..512"),
        (["-m", "skyreels-i2v-tiny", "--frames", "129"], "--frames: 129 frames is outside 5..125"),
    ],
)
def test_the_tiny_skyreels_models_keep_to_their_table_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    Image.new("RGB", (64, 64), (200, 40, 40)).save(tmp_path / "start.png")
    result = runner.invoke(app, ["generate", "a fox", *args, "--image", "start.png", "-o", "fox.mp4", "-q"])
    assert result.exit_code == 2, result.output
    assert message in said(result), said(result)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["start.png"]


def test_a_tiny_skyreels_window_past_the_table_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its window of 129 frames was "internal error (RuntimeError: shape '[33, 1, 1, -1]' is invalid ...)".
    monkeypatch.chdir(tmp_path)
    args = ["generate", "a fox", "-m", "skyreels-tiny", "--frames", "129", "--option", "base_num_frames=129"]
    result = runner.invoke(app, [*args, "-o", "fox.mp4", "-q"])
    assert result.exit_code == 2, result.output
    assert "--option base_num_frames 129: skyreels-tiny denoises at most 125 frames at once" in said(result)
    assert list(tmp_path.iterdir()) == []
