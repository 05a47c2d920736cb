"""A server's copy of an output naming inputs as sent keeps every frame and the rate, at any rate."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.video_timing import video_timing
from reelgen.jobs._as_sent import _remux
from reelgen.jobs.artifacts import verify_video
from tests.cli.test_s61c_enhance_fast_rates import _fast_clip

runner = CliRunner()


def _enhanced(tmp_path: Path, suffix: str, source: Path, factor: str) -> Path:
    out = tmp_path / f"made{suffix}"
    args = ["enhance", str(source), "-o", str(out), "--interpolate", factor, "--interpolator", "flow", "-q"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("suffix", [".mp4", ".mov"])
def test_the_copy_of_a_2000_fps_clip_still_plays_every_frame(tmp_path: Path, suffix: str) -> None:
    # 1000 fps x2 through a server: the enhance itself was right, but the copy that names the inputs
    # as sent timed its edit list in milliseconds again, and the job failed: "the output video has 18
    # frames; the job asked for 19".
    made = _enhanced(tmp_path, suffix, _fast_clip(tmp_path / "fast.mov", 10), "2")
    again = tmp_path / f"again{suffix}"
    _remux(made, again, {"output": {"fps": "2000"}})
    assert verify_video(again, 19)["frames"] == 19


def test_the_copy_of_a_webm_keeps_its_exact_rate(tmp_path: Path) -> None:
    # A WebM keeps times in milliseconds; the rate each frame lasts is what tells 48000/1001 from 48.
    source = tmp_path / "ntsc.mov"
    with av.open(str(source), "w") as container:
        stream = container.add_stream("png", rate=Fraction(24000, 1001))
        stream.width, stream.height, stream.pix_fmt = 64, 48, "rgb24"
        for shade in range(6):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), shade * 40, np.uint8))
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    made = _enhanced(tmp_path, ".webm", source, "2")
    again = tmp_path / "again.webm"
    _remux(made, again, {"output": {"fps": "48000/1001"}})
    assert video_timing(again).fps == Fraction(48000, 1001)
