"""``reelgen avatar --video`` given a sound file: said to be sound, with what --video takes and where it goes."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def test_a_voice_given_as_the_video_is_told_what_video_takes(tmp_path: Path) -> None:
    # It said only "--video: voice.wav has no video stream", not what to give instead.
    voice = tmp_path / "voice.wav"
    tone = (np.sin(np.arange(16_000) * 2 * np.pi * 200 / 16_000) * 16_000).astype("<i2")
    with wave.open(str(voice), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes(tone.tobytes())
    result = runner.invoke(
        app, ["avatar", "--video", str(voice), "--audio", str(voice), "-o", str(tmp_path / "x.mp4")]
    )
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert f"--video: {voice} holds sound only, no pictures" in said
    assert "give a video with a face (MP4, MOV, MKV or WebM)" in said
    assert "a voice goes in --audio" in said
