"""`reelgen enhance` on a phone's HDR clip (10-bit, BT.2020, HLG) or any clip that says its colours."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()

#: FFmpeg's numbers: BT.2020 primaries, HLG (ARIB STD-B67) and BT.709 transfer, BT.709 primaries.
BT2020, HLG, BT709 = 9, 18, 1


def _tagged_clip(path: Path, primaries: int, transfer: int, pix_fmt: str) -> Path:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=24)
        stream.width, stream.height, stream.pix_fmt = 64, 48, pix_fmt
        codec = stream.codec_context
        codec.colorspace = BT2020 if primaries == BT2020 else BT709
        codec.color_primaries, codec.color_trc = primaries, transfer
        for k in range(8):
            image = np.full((48, 64, 3), (30 * k, 120, 200), dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(image, format="rgb24").reformat(format=pix_fmt)
            frame.pts, frame.time_base = k, Fraction(1, 24)
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return path


@pytest.mark.parametrize("suffix", [".mp4", ".mov", ".mkv", ".webm"])
@pytest.mark.parametrize(
    ("primaries", "transfer", "pix_fmt"), [(BT2020, HLG, "yuv420p10le"), (BT709, BT709, "yuv420p")]
)
def test_the_output_says_the_colours_of_the_source(
    tmp_path: Path, suffix: str, primaries: int, transfer: int, pix_fmt: str
) -> None:
    source = _tagged_clip(tmp_path / "phone.mov", primaries, transfer, pix_fmt)
    out = tmp_path / f"out{suffix}"
    result = runner.invoke(
        app, ["enhance", str(source), "-o", str(out), "-q", "--interpolate", "2", "--interpolator", "flow"]
    )
    assert result.exit_code == 0, result.output
    with av.open(str(out)) as container:
        frame = next(container.decode(video=0))
    # It was written as BT.601's primaries and transfer (6, 6): an HLG clip's values shown as SDR,
    # its colours flat and pale.
    assert (frame.color_primaries, frame.color_trc) == (primaries, transfer)
