"""`reelgen enhance` of a one-frame clip with --target-fps: the refusal names the flag that was typed."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def _one_frame(path: Path) -> Path:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=24)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        frame = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="rgb24")
        frame.pts, frame.time_base = 0, Fraction(1, 24)
        container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return path


def test_target_fps_on_one_frame_is_refused_as_target_fps(tmp_path: Path) -> None:
    source, out = _one_frame(tmp_path / "one.mp4"), tmp_path / "out.mp4"
    result = runner.invoke(app, ["enhance", str(source), "-o", str(out), "--target-fps", "60"])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    # It said "--interpolate: a clip of 1 frame ...", a flag the person never typed.
    assert "error: --target-fps: a clip of 1 frame (a still image?) cannot be interpolated" in said
    assert "--interpolate" not in said
    assert not out.exists() and not out.with_suffix(".json").exists()


def test_interpolate_on_one_frame_still_names_interpolate(tmp_path: Path) -> None:
    source, out = _one_frame(tmp_path / "one.mp4"), tmp_path / "out.mp4"
    result = runner.invoke(app, ["enhance", str(source), "-o", str(out), "--interpolate", "2"])
    assert result.exit_code == 2
    assert "error: --interpolate: a clip of 1 frame" in " ".join(result.output.split())
