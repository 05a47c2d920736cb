"""`reelgen enhance` on an interlaced clip (a camcorder's 1080i, a TV recording): no comb lines in the output."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()
W, H = 64, 48


def _interlaced(path: Path, frames: int = 10) -> Path:
    """A white bar moving 8 pixels a field: each frame's even rows show it at one time, its odd rows
    half a frame later, encoded interlaced, top field first."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = W, H, "yuv420p"
        stream.options = {"flags": "+ildct+ilme", "crf": "10"}
        for k in range(frames):
            image = np.zeros((H, W, 3), np.uint8)
            first, second = (16 * k) % (W - 8), (16 * k + 8) % (W - 8)
            image[0::2, first : first + 8] = 255
            image[1::2, second : second + 8] = 255
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts, frame.time_base = k, Fraction(1, 25)
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return path


def _combing(path: Path) -> float:
    """How far each row differs from the rows beside it, beyond how far it differs from those two away:
    near 0 for a progressive picture, large where two fields a moment apart are woven together."""
    worst = 0.0
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            luma = frame.to_ndarray(format="rgb24").astype(np.float64).mean(axis=2)
            near = np.abs(luma[1:-1] - (luma[:-2] + luma[2:]) / 2).mean()
            far = np.abs(luma[2:-2] - (luma[:-4] + luma[4:]) / 2).mean()
            worst = max(worst, near - far)
    return worst


def test_an_interlaced_clip_is_deinterlaced_and_the_person_told(tmp_path: Path) -> None:
    source, out = _interlaced(tmp_path / "tape.mp4"), tmp_path / "out.mp4"
    assert _combing(source) > 10  # the comb a player deinterlaces away
    result = runner.invoke(
        app, ["enhance", str(source), "-o", str(out), "--interpolate", "2", "--interpolator", "flow"]
    )
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "tape.mp4 is interlaced (top field first): its frames were deinterlaced (bwdif)" in said
    # It was written progressive with the combs in: every player then showed them.
    assert _combing(out) < 3
    with av.open(str(out)) as container:
        assert sum(1 for _ in container.decode(video=0)) == 19  # x2 of 10: the frame count kept
    record = json.loads(out.with_suffix(".json").read_text())
    assert record["input"]["interlaced"] == "top field first"
