"""Tiny 10-bit clips tagged with colour primaries and a transfer, as HDR phones and cameras write them."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np

#: FFmpeg's numbers: BT.709 and BT.2020 primaries (and matrices), BT.2020's 10-bit SDR transfer, PQ and HLG.
BT709, BT2020, BT2020_10, PQ, HLG = 1, 9, 14, 16, 18


def tagged_clip(
    path: Path,
    rgb: int | tuple[int, int, int],
    transfer: int,
    primaries: int = BT2020,
    matrix: str | None = None,
) -> Path:
    """Four 64x48 frames of one colour ``rgb`` (code values of 255) in yuv420p10le, tagged ``primaries`` (and
    the same matrix) and ``transfer``; ``matrix`` names the RGB-to-YUV conversion when the colour is not grey."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=24)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p10le"
        codec = stream.codec_context
        codec.color_primaries, codec.color_trc, codec.colorspace = primaries, transfer, primaries
        for k in range(4):
            image = av.VideoFrame.from_ndarray(np.full((48, 64, 3), rgb, np.uint8), format="rgb24")
            frame = (
                image.reformat(format="yuv420p10le", dst_colorspace=matrix)
                if matrix
                else image.reformat(format="yuv420p10le")
            )
            frame.pts, frame.time_base = k, Fraction(1, 24)
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return path
