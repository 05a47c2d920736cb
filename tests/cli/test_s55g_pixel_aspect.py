"""`reelgen enhance` on a clip of non-square pixels (DV, HDV, a broadcast recording): its shape is kept."""

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


def _wide_pixels(path: Path, aspect: Fraction, turned: bool = False) -> Path:
    """12 frames stored 64x48 whose pixels are ``aspect`` as wide as high (shown 128x48 for 2:1);
    ``turned``: with a phone's display matrix that turns them 90 degrees (shown 48x128)."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=24)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        stream.codec_context.sample_aspect_ratio = aspect
        if turned:
            stream.set_display_matrix([0, -65536, 0, 65536, 0, 0, 0, 0, 1 << 30])
        for k in range(12):
            image = np.full((48, 64, 3), 20 * k, dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts, frame.time_base = k, Fraction(1, 24)
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return path


UPSCALE, INTERPOLATE = (
    ["--upscale", "2", "--upscaler", "lanczos"],
    ["--interpolate", "2", "--interpolator", "flow"],
)


@pytest.mark.parametrize("suffix", [".mp4", ".mov", ".mkv"])
@pytest.mark.parametrize("flags", [INTERPOLATE, UPSCALE])
def test_the_output_says_its_pixels_are_as_wide_as_the_sources(
    tmp_path: Path, suffix: str, flags: list[str]
) -> None:
    source, out = _wide_pixels(tmp_path / "dv.mp4", Fraction(2)), tmp_path / f"out{suffix}"
    result = runner.invoke(app, ["enhance", str(source), "-o", str(out), "-q", *flags])
    assert result.exit_code == 0, result.output
    scale = 2 if flags == UPSCALE else 1
    with av.open(str(out)) as container:
        stream = container.streams.video[0]
        # It was written with square pixels: a player showed the 128x48 picture squeezed to 64x48.
        assert stream.sample_aspect_ratio == Fraction(2)
        assert (stream.codec_context.width, stream.codec_context.height) == (64 * scale, 48 * scale)
    record = json.loads(out.with_suffix(".json").read_text())
    assert record["input"]["sample_aspect_ratio"] == record["output"]["sample_aspect_ratio"] == "2"


@pytest.mark.parametrize("suffix", [".webm", ".gif"])
@pytest.mark.parametrize("flags", [INTERPOLATE, UPSCALE])
def test_an_output_of_square_pixels_is_made_as_wide_as_the_source_shows(
    tmp_path: Path, suffix: str, flags: list[str]
) -> None:
    source, out = _wide_pixels(tmp_path / "dv.mp4", Fraction(2)), tmp_path / f"out{suffix}"
    result = runner.invoke(app, ["enhance", str(source), "-o", str(out), *flags])
    assert result.exit_code == 0, result.output
    scale = 2 if flags == UPSCALE else 1
    with av.open(str(out)) as container:
        stream = container.streams.video[0]
        assert stream.sample_aspect_ratio in (None, Fraction(1))
        first = next(container.decode(stream))
        assert (first.width, first.height) == (128 * scale, 48 * scale)
    said = " ".join(result.output.split())
    assert "dv.mp4's pixels are 2:1 (width:height)" in said
    assert f"its frames were resized to {128 * scale}x{48 * scale}" in said
    record = json.loads(out.with_suffix(".json").read_text())
    assert (record["output"]["width"], record["output"]["height"]) == (128 * scale, 48 * scale)
    assert "sample_aspect_ratio" not in record["output"]


def test_a_turned_gif_says_the_size_it_shows(tmp_path: Path) -> None:
    source, out = _wide_pixels(tmp_path / "dv.mp4", Fraction(2), turned=True), tmp_path / "out.gif"
    result = runner.invoke(app, ["enhance", str(source), "-o", str(out), *INTERPOLATE])
    assert result.exit_code == 0, result.output
    with av.open(str(out)) as container:
        first = next(container.decode(video=0))
        assert (first.width, first.height) == (48, 128)
    # It said "resized to 128x48", the size before the frames were turned upright.
    assert "its frames were resized to 48x128" in " ".join(result.output.split())
