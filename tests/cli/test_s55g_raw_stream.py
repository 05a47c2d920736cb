"""`reelgen enhance` on a raw H.264 stream (a security camera's .h264 export): no timestamps, the rate in its header."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def _raw(path: Path, fps: int = 30, frames: int = 15) -> Path:
    """``frames`` of a bar moving, as a bare H.264 stream whose header says ``fps``."""
    with av.open(str(path), "w", format="h264") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for k in range(frames):
            image = np.zeros((48, 64, 3), np.uint8)
            image[:, 3 * k : 3 * k + 6] = 255
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts, frame.time_base = k, Fraction(1, fps)
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return path


def test_a_raw_stream_keeps_the_rate_its_header_says(tmp_path: Path) -> None:
    source, out = _raw(tmp_path / "cam.h264"), tmp_path / "out.mp4"
    result = runner.invoke(
        app, ["enhance", str(source), "-o", str(out), "-q", "--interpolate", "2", "--interpolator", "flow"]
    )
    assert result.exit_code == 0, result.output
    with av.open(str(out)) as container:
        stream = container.streams.video[0]
        # It was taken at FFmpeg's stand-in 25 fps: doubled to 50, the clip played 1.2 times too slow.
        assert stream.average_rate == 60
        assert sum(1 for _ in container.decode(stream)) == 29
    assert json.loads(out.with_suffix(".json").read_text())["input"]["fps"] == "30"
