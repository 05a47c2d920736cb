"""Weights not on this machine: the advice names only options the command that was run has."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.speech.audio import write_wav
from reelgen.core.types import Audio

runner = CliRunner()
HINT = "(or give --weights PATH: a local diffusers folder or single-file checkpoint)"


def said(output: str) -> str:
    return " ".join(output.split())


@pytest.fixture
def face_and_voice(tmp_path: Path) -> tuple[Path, Path]:
    face = tmp_path / "face.png"
    Image.new("RGB", (128, 128), (200, 150, 120)).save(face)
    voice = write_wav(tmp_path / "voice.wav", Audio(np.full((1, 16000), 0.3, np.float32), 16000))
    return face, voice


def test_avatar_is_not_sent_to_an_option_it_does_not_have(
    tmp_path: Path, face_and_voice: tuple[Path, Path]
) -> None:
    face, voice = face_and_voice
    argv = [
        "avatar",
        "-m",
        "musetalk",
        "--image",
        str(face),
        "--audio",
        str(voice),
        "-o",
        str(tmp_path / "t.mp4"),
    ]
    result = runner.invoke(app, argv)
    assert result.exit_code == 2, result.output
    # It said "`reelgen generate --weights PATH` also takes ...": generate cannot load a lip-sync model.
    assert "has no weights on this machine" in said(result.output)
    assert said(result.output).endswith("Fetch it with: reelgen pull musetalk")
    assert "--weights" not in result.output


def test_animate_is_told_how_to_fetch_and_no_option_it_lacks(
    tmp_path: Path, face_and_voice: tuple[Path, Path]
) -> None:
    face, _ = face_and_voice
    result = runner.invoke(
        app, ["animate", str(face), "a fox", "-m", "ltx-2b", "-o", str(tmp_path / "a.mp4")]
    )
    assert result.exit_code == 2, result.output
    assert said(result.output).endswith("Fetch it with: reelgen pull ltx-2b")
    assert "--weights" not in result.output


def test_generate_says_its_weights_option_takes_a_path(tmp_path: Path) -> None:
    result = runner.invoke(app, ["generate", "a fox", "-m", "ltx-2b", "-o", str(tmp_path / "g.mp4")])
    assert result.exit_code == 2, result.output
    assert said(result.output).endswith(f"Fetch it with: reelgen pull ltx-2b {HINT}")


def test_bench_says_its_weights_option_takes_a_path() -> None:
    result = runner.invoke(app, ["bench", "-m", "cogvideox-2b", "--steps", "1"])
    assert result.exit_code == 2, result.output
    assert said(result.output).endswith(f"only for ltx-2b, wan-1.3b, wan-14b {HINT}")
