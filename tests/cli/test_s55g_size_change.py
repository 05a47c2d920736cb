"""`reelgen enhance` on a clip whose picture changes size part way (a browser's screen recording, a stream)."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def _grey(width: int, height: int, level: int) -> av.VideoFrame:
    image = np.full((height, width, 3), level, dtype=np.uint8)
    return av.VideoFrame.from_ndarray(image, format="rgb24").reformat(format="yuvj420p")


def _resized_clip(path: Path) -> Path:
    """6 frames of 64x48, then 6 of 96x48, in one MJPEG stream (each packet is a whole picture)."""
    wide = av.CodecContext.create("mjpeg", "w")
    wide.width, wide.height, wide.pix_fmt, wide.time_base = 96, 48, "yuvj420p", Fraction(1, 24)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mjpeg", rate=24)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuvj420p"
        for k in range(6):
            frame = _grey(64, 48, 100)
            frame.pts, frame.time_base = k, Fraction(1, 24)
            container.mux(stream.encode(frame))
        for k in range(6, 12):
            frame = _grey(96, 48, 200)
            frame.pts, frame.time_base = k, Fraction(1, 24)
            for packet in wide.encode(frame):
                packet.stream, packet.pts, packet.dts, packet.time_base = stream, k, k, Fraction(1, 24)
                container.mux(packet)
    return path


@pytest.mark.parametrize(
    "flags", [["--interpolate", "2", "--interpolator", "flow"], ["--upscale", "2", "--upscaler", "lanczos"]]
)
def test_a_clip_that_changes_size_is_enhanced_at_its_first_size_and_the_person_is_told(
    tmp_path: Path, flags: list[str]
) -> None:
    source, out = _resized_clip(tmp_path / "rec.mkv"), tmp_path / "out.mp4"
    result = runner.invoke(app, ["enhance", str(source), "-o", str(out), *flags])
    # It was "internal error (ValueError: all input arrays must have the same shape)", exit 1.
    assert result.exit_code == 0, result.output
    assert "rec.mkv changes its picture size at frame 7 (64x48 to 96x48)" in result.output
    assert "scaled to fit 64x48" in result.output
    scale = 2 if "--upscale" in flags else 1
    with av.open(str(out)) as container:
        sizes = {(f.width, f.height) for f in container.decode(video=0)}
        assert sizes == {(64 * scale, 48 * scale)}
    with av.open(str(out)) as container:
        last = list(container.decode(video=0))[-1].to_ndarray(format="rgb24")
    # The 96x48 picture fits 64x32 inside 64x48: black above and below it, its grey in the middle.
    assert last[: 4 * scale].mean() < 30 and abs(last[24 * scale].mean() - 200) < 12
    record = json.loads(out.with_suffix(".json").read_text())
    assert record["source_size_changed"] == {"at_frame": 7, "from": "64x48", "to": "96x48"}
