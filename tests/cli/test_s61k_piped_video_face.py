"""A piped clip to dub (``reelgen avatar --video <(...)``) with no face is named as the pipe typed, not as
the bare name of the copy the run read ("no face found in 63 (a pipe)")."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import av
import numpy as np
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.speech.audio import write_wav
from reelgen.core.types import Audio


def _faceless_clip(path: Path) -> bytes:
    from skimage import data

    cup = np.asarray(Image.fromarray(data.coffee()).resize((128, 128)))
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = 128, 128, "yuv420p"
        for _ in range(25):
            for packet in stream.encode(av.VideoFrame.from_ndarray(cup, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path.read_bytes()


def _fed(pipe: Path, data: bytes) -> threading.Thread:
    os.mkfifo(pipe)

    def feed() -> None:
        with pipe.open("wb") as end:
            end.write(data)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    return writer


def test_a_piped_video_with_no_face_is_named_as_the_pipe(tmp_path: Path) -> None:
    rate = 16_000
    t = np.arange(rate) / rate
    voice = write_wav(
        tmp_path / "v.wav", Audio((0.3 * np.sin(2 * np.pi * 220 * t))[None].astype(np.float32), rate)
    )
    pipe = tmp_path / "63"
    writer = _fed(pipe, _faceless_clip(tmp_path / "cup.mp4"))
    out = tmp_path / "dub.mp4"
    argv = [
        "avatar",
        "-q",
        "--video",
        str(pipe),
        "--audio",
        str(voice),
        "-m",
        "reelgen-lipsync",
        "-o",
        str(out),
    ]
    result = CliRunner().invoke(app, argv)
    writer.join(timeout=5)
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    # It said "no face found in 63 (a pipe)": the copy's bare name, not the pipe as typed.
    assert f"no face found in {pipe} (a pipe)" in said, said
    assert "reelgen-pipe-" not in said and "source_video" not in said
    assert not out.exists()
