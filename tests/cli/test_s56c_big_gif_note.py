"""A GIF that will be big says so, with its size, before the work starts; a small one says nothing."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core import gif

runner = CliRunner()


def _clip(path: Path, frames: int = 6) -> Path:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=24)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for k in range(frames):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), 40 * k, np.uint8), format="rgb24")
            frame.pts, frame.time_base = k, Fraction(1, 24)
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return path


def _enhance(tmp_path: Path, out: str) -> str:
    source = _clip(tmp_path / "in.mp4")
    args = ["enhance", str(source), "-o", str(tmp_path / out), "--upscale", "8", "--upscaler", "lanczos"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def test_a_big_gif_says_its_size_and_that_it_is_slow_up_front(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 6 frames of 512x384 are 1.2 megapixels: "big" here, as 100 of them are (2 s of 1080p at 24 fps).
    monkeypatch.setattr(gif, "BIG_MEGAPIXELS", 1)
    said = _enhance(tmp_path, "x8.gif")
    note = (
        "warning: x8.gif will be a big GIF: 6 frames of 512x384 (1.2 megapixels), some 0.6 MB, and slow to make "
        "(two more passes over every frame once the last is made: minutes on a CPU); .mp4 or .webm is a "
        "fraction of the size and time, or give a smaller --upscale or a shorter clip"
    )
    assert note in said
    assert said.index(note) < said.index("lanczos:")  # before the work, not after it


def test_a_small_gif_and_a_big_mp4_say_nothing_of_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gif, "BIG_MEGAPIXELS", 1)
    assert "big GIF" not in _enhance(tmp_path, "x8.mp4")
    monkeypatch.setattr(gif, "BIG_MEGAPIXELS", 2)
    assert "big GIF" not in _enhance(tmp_path, "x8.gif")
