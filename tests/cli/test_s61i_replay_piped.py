"""``reelgen replay`` of an avatar made from a piped face says the face came from a pipe and was not kept:
it said "put it back at that path", a temporary copy (/tmp/reelgen-pipe-x/start_image) never seen."""

from __future__ import annotations

import os
import threading
import wave
from pathlib import Path

import numpy as np
from PIL import Image
from skimage import data
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def _fed(pipe: Path, payload: bytes) -> threading.Thread:
    os.mkfifo(pipe)

    def feed() -> None:
        with pipe.open("wb") as end:
            end.write(payload)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    return writer


def test_a_piped_face_is_said_to_be_gone_with_its_run(tmp_path: Path) -> None:
    face = tmp_path / "face.png"
    Image.fromarray(data.astronaut()).resize((256, 256)).save(face)
    voice = tmp_path / "voice.wav"
    with wave.open(str(voice), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes((np.sin(np.arange(16000) * 0.05) * 8000).astype("<i2").tobytes())
    pipe = tmp_path / "fd63"
    writer = _fed(pipe, face.read_bytes())
    made = tmp_path / "made.mp4"
    argv = [
        "avatar",
        "--image",
        str(pipe),
        "--audio",
        str(voice),
        "-m",
        "musetalk-tiny",
        "-q",
        "-o",
        str(made),
    ]
    result = runner.invoke(app, argv)
    writer.join(timeout=5)
    assert result.exit_code == 0, result.output

    again = runner.invoke(app, ["replay", str(made), "-q", "-o", str(tmp_path / "again.mp4")])
    out = " ".join(again.output.split())
    assert again.exit_code == 2, out
    assert "start_image came from a pipe (fd63), read once for that run and not kept" in out, out
    assert "say where it is with --input PARAM=FILE" in out and "put it back at that path" not in out
    saved = runner.invoke(
        app, ["replay", str(made), "-q", "--input", f"start_image={face}", "-o", str(tmp_path / "b.mp4")]
    )
    assert saved.exit_code == 0, saved.output
    assert (tmp_path / "b.mp4").is_file()
