"""Interlaced sources (a camcorder's 1080i, a TV recording, a DVD) made progressive before they are enhanced."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from reelgen.core.picture_stream import picture_stream

#: FFmpeg's field-adaptive deinterlacer, one frame out per frame in: the clip keeps its frame count and rate.
DEINTERLACER = "bwdif"


def field_order(path: Path) -> str | None:
    """``"top field first"`` or ``"bottom field first"`` where the first frame of ``path`` is interlaced, else None."""
    import av

    try:
        with av.open(str(path)) as container:
            stream = picture_stream(container) or container.streams.video[0]
            frame = next(container.decode(stream), None)
            order = stream.codec_context.field_order
    except (av.error.FFmpegError, OSError, ValueError, IndexError):
        return None  # the readers before this one said what is wrong
    if frame is None or not frame.interlaced_frame:
        return None
    return "bottom field first" if order in BOTTOM_FIRST else "top field first"


#: FFmpeg's field orders whose bottom field is shown first (BB, TB); HD is top first, as are unknown ones.
BOTTOM_FIRST = (3, 4)


def note(name: str, order: str) -> str:
    return (
        f"{name} is interlaced ({order}): its frames were deinterlaced ({DEINTERLACER}) before they "
        "were enhanced, as a player does; the output is progressive"
    )


def progressive(frames: Iterator[np.ndarray], order: str) -> Iterator[np.ndarray]:
    """``frames`` (RGB, all one size) deinterlaced, one for one.

    Written as they were, each frame's two fields, shot a field apart, showed as comb lines on
    anything moving: the output is progressive, so no player deinterlaces it, and interpolation
    blended the combs into the new frames too.
    """
    import av

    graph: Any = None
    for index, frame in enumerate(frames):
        if graph is None:
            graph = _graph(frame.shape[1], frame.shape[0], order)
        picture = av.VideoFrame.from_ndarray(frame, format="rgb24").reformat(format="gbrp")
        picture.pts = index  # the filter wants times; what comes out is taken in order
        graph.push(picture)
        yield from _pulled(graph)
    if graph is not None:
        graph.push(None)  # the last frame waits for one after it: flushed out
        yield from _pulled(graph)


def _graph(width: int, height: int, order: str) -> Any:
    import av

    graph = av.filter.Graph()
    gbrp = av.VideoFormat("gbrp")
    source = graph.add_buffer(width=width, height=height, format=gbrp, time_base=Fraction(1, 1000))
    parity = "tff" if order.startswith("top") else "bff"
    deinterlace = graph.add(DEINTERLACER, f"mode=send_frame:parity={parity}:deint=all")
    sink = graph.add("buffersink")
    source.link_to(deinterlace)
    deinterlace.link_to(sink)
    graph.configure()
    return graph


def _pulled(graph: Any) -> Iterator[np.ndarray]:
    import av

    while True:
        try:
            frame = graph.pull()
        except (av.error.BlockingIOError, av.error.EOFError):
            return
        yield frame.to_ndarray(format="rgb24")
