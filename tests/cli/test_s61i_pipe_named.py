"""A piped face or voice (``reelgen avatar --image <(...)``) that the run refuses is named as the pipe typed,
not as the copy the run read ("no face found in start_image", "/tmp/reelgen-pipe-x/speech_audio")."""

from __future__ import annotations

import os
import threading
import wave
from pathlib import Path

import numpy as np
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app


def _fed(pipe: Path, data: bytes) -> threading.Thread:
    os.mkfifo(pipe)

    def feed() -> None:
        with pipe.open("wb") as end:
            end.write(data)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    return writer


def _voice(path: Path, seconds: float = 1.0) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        samples = np.sin(np.arange(int(16000 * seconds)) * 0.05) * 8000
        out.writeframes(samples.astype("<i2").tobytes())
    return path


def _run(tmp_path: Path, argv: list[str], env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(
        app, ["avatar", *argv, "-m", "musetalk-tiny", "-o", str(tmp_path / "x.mp4")], env=env
    )
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "x.mp4").exists()
    return " ".join(result.output.split())


def test_a_piped_photo_with_no_face_is_named_as_the_pipe(tmp_path: Path) -> None:
    picture = tmp_path / "sky.png"
    Image.new("RGB", (128, 96), (40, 90, 200)).save(picture)
    pipe = tmp_path / "fd63"
    writer = _fed(pipe, picture.read_bytes())
    out = _run(tmp_path, ["--image", str(pipe), "--audio", str(_voice(tmp_path / "v.wav"))])
    writer.join(timeout=5)
    # It said "no face found in start_image": the name of the copy, never typed.
    assert f"no face found in {pipe} (a pipe);" in out, out
    assert "start_image" not in out and "reelgen-pipe-" not in out


def test_a_piped_voice_cut_short_is_named_as_the_pipe(tmp_path: Path) -> None:
    face = tmp_path / "face.png"
    Image.new("RGB", (128, 128), (90, 90, 90)).save(face)
    whole = _voice(tmp_path / "v.wav").read_bytes()
    pipe = tmp_path / "voice"
    writer = _fed(pipe, whole[: len(whole) // 2])  # a download stopped half-way
    out = _run(tmp_path, ["--image", str(face), "--audio", str(pipe)])
    writer.join(timeout=5)
    # It said "--audio: /tmp/reelgen-pipe-x/speech_audio is cut short: ...".
    assert f"--audio: {pipe} (a pipe) is cut short" in out, out
    assert "reelgen-pipe-" not in out and "speech_audio" not in out
