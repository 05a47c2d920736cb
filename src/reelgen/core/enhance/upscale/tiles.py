"""Overlapping tiles, so an upscaler's memory stays bounded at any frame size and the seams do not show.

Each tile is run with ``overlap`` extra pixels of real context on every side
(clamped at the frame's edge) and only its own area is kept, so as long as the
overlap covers the network's reach the tiled output equals the untiled one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any


def windows(
    height: int, width: int, tile: int, overlap: int
) -> Iterator[tuple[tuple[int, int, int, int], tuple[int, int, int, int]]]:
    """Per tile: (y0, y1, x0, x1) of the input to run, and (y0, y1, x0, x1) of its own area within that input."""
    if tile <= 0:
        yield (0, height, 0, width), (0, height, 0, width)
        return
    for y0 in range(0, height, tile):
        for x0 in range(0, width, tile):
            y1, x1 = min(y0 + tile, height), min(x0 + tile, width)
            iy0, ix0 = max(y0 - overlap, 0), max(x0 - overlap, 0)
            iy1, ix1 = min(y1 + overlap, height), min(x1 + overlap, width)
            yield (iy0, iy1, ix0, ix1), (y0 - iy0, y1 - iy0, x0 - ix0, x1 - ix0)


def run_tiled(run: Callable[[Any], Any], x: Any, scale: int, tile: int, overlap: int, out: Any) -> Any:
    """Fill ``out`` (..., H * scale, W * scale) with ``run`` applied tile by tile to ``x`` (..., H, W).

    Works on torch tensors and numpy arrays alike: only slicing is used.
    """
    height, width = x.shape[-2:]
    for (iy0, iy1, ix0, ix1), (y0, y1, x0, x1) in windows(height, width, tile, overlap):
        piece = run(x[..., iy0:iy1, ix0:ix1])
        oy, ox = (iy0 + y0) * scale, (ix0 + x0) * scale
        out[..., oy : oy + (y1 - y0) * scale, ox : ox + (x1 - x0) * scale] = piece[
            ..., y0 * scale : y1 * scale, x0 * scale : x1 * scale
        ]
    return out
