"""``reelgen avatar`` given a pipe (``--audio <(sox ...)``): read once, said to be a pipe, not a missing file."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


@pytest.mark.parametrize("flag", ["--audio", "--image", "--video"])
def test_a_pipe_is_called_a_pipe(tmp_path: Path, flag: str) -> None:
    # Bash's <(...) gives /dev/fd/63, a pipe: it was "--audio: file /dev/fd/63 does not exist".
    pipe = tmp_path / "fd63"
    os.mkfifo(pipe)
    writer = threading.Thread(target=lambda: pipe.write_bytes(b"RIFF"), daemon=True)
    writer.start()
    face = tmp_path / "face.png"
    Image.new("RGB", (128, 128), (90, 90, 90)).save(face)
    voice = tmp_path / "voice.wav"
    voice.write_bytes(b"RIFF")
    given = {"--audio": str(voice), "--image": str(face), flag: str(pipe)}
    if flag == "--video":
        del given["--image"]
    argv = ["avatar", *(part for pair in given.items() for part in pair), "-o", str(tmp_path / "x.mp4")]
    result = runner.invoke(app, argv)
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    writer.join(timeout=5)
    # Read once, as --server uploads it (s56b); what it gave is said of the pipe.
    assert f"{flag}: {pipe} (a pipe) gave no readable" in said
    assert "does not exist" not in said
