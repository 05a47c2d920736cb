"""`reelgen enhance -o x.webm` says its frame rate in the file, as `.mkv` does: players and reelgen read it back."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.media import video_timing

runner = CliRunner()
NTSC = Fraction(24000, 1001)


def _ntsc_clip(path: Path) -> Path:
    """Eight lossless (PNG-in-MOV) frames at 24000/1001 fps, a grey step each."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("png", rate=NTSC)
        stream.width, stream.height, stream.pix_fmt = 32, 24, "rgb24"
        for level in range(10, 250, 30):
            image = np.full((24, 32, 3), level, np.uint8)
            container.mux(stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")))
        container.mux(stream.encode())
    return path


@pytest.mark.parametrize("suffix", [".webm", ".mkv"])
def test_an_ntsc_clip_doubled_reads_back_at_its_rate(tmp_path: Path, suffix: str) -> None:
    source, out = _ntsc_clip(tmp_path / "ntsc.mov"), tmp_path / f"out{suffix}"
    args = ["enhance", str(source), "-o", str(out), "--interpolate", "2", "--interpolator", "flow", "-q"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    with av.open(str(out)) as container:
        said = container.streams.video[0].average_rate
    # A WebM said no rate (an MKV did): players guessed 48 from its millisecond stamps, and enhancing
    # it again took 48 for 48000/1001. Matroska holds a frame's length in nanoseconds: 47.952 to 1e-6.
    assert said is not None and abs(float(said) - 48000 / 1001) < 1e-5
    assert video_timing(out).fps == 2 * NTSC
