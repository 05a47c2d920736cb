"""``reelgen avatar`` without --server takes a face or voice from a pipe (``--audio <(sox ...)``), as --server
does (it uploads the pipe, read once); a pipe that gives no such file is said of the pipe typed."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
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


@pytest.mark.parametrize(
    ("flag", "said"),
    [
        ("--image", "gave no readable image; give an image (PNG, JPEG, WEBP ...)"),
        ("--video", "gave no readable video; give a video with a picture (MP4, MOV, MKV, WebM ...)"),
        ("--audio", "gave no readable audio; give audio (WAV, MP3, FLAC, OGG, M4A ...)"),
    ],
)
def test_a_pipe_is_read_and_what_it_gave_is_said_of_it(tmp_path: Path, flag: str, said: str) -> None:
    pipe = tmp_path / "fd63"
    writer = _fed(pipe, b"not a picture nor a sound")
    face = tmp_path / "face.png"
    Image.new("RGB", (128, 128), (90, 90, 90)).save(face)
    given = {"--image": str(face), "--text": "hi", flag: str(pipe)}
    if flag == "--video":
        del given["--image"]
    if flag == "--audio":
        del given["--text"]
    argv = ["avatar", *(part for pair in given.items() for part in pair), "-o", str(tmp_path / "x.mp4")]
    result = CliRunner().invoke(app, argv)
    writer.join(timeout=5)
    out = " ".join(result.output.split())
    # It was "--image: .../fd63 is a pipe or a device, not a file; ... save it to a file first", where
    # `reelgen avatar --server` uploaded the same pipe.
    assert result.exit_code == 2, out
    assert f"{flag}: {pipe} (a pipe) {said}" in out, out
    assert "not a file" not in out and "reelgen-pipe-" not in out
    assert not writer.is_alive()  # read to its end
    assert not (tmp_path / "x.mp4").exists()
