"""Pictures of a clip for the report: a contact sheet of evenly spaced frames, and an animated GIF preview."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from reelgen.core.atomic import staged

#: Frames on a contact sheet, and how many a row.
SHEET_FRAMES, SHEET_COLUMNS = 8, 4
#: Thumbnails and previews are scaled so their longer side is at least MIN_SIDE (tiny test clips
#: stay visible; nearest-neighbour, so no detail is invented) and at most MAX_SIDE (small files).
MIN_SIDE, MAX_SIDE = 128, 256
_GAP = 4


def _scaled(frame: np.ndarray) -> Image.Image:
    image = Image.fromarray(frame)
    side = max(image.size)
    scale = MIN_SIDE / side if side < MIN_SIDE else min(1.0, MAX_SIDE / side)
    if scale == 1.0:
        return image
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    resample = Image.Resampling.NEAREST if scale > 1 else Image.Resampling.LANCZOS
    return image.resize(size, resample)


def contact_sheet(frames: np.ndarray, count: int = SHEET_FRAMES, columns: int = SHEET_COLUMNS) -> Image.Image:
    """Up to ``count`` frames spread evenly over the clip (first and last included), each labelled."""
    picks = np.unique(np.linspace(0, len(frames) - 1, num=min(count, len(frames))).round().astype(int))
    thumbs = [(int(i), _scaled(frames[i])) for i in picks]
    tw, th = thumbs[0][1].size
    rows = -(-len(thumbs) // columns)
    cols = min(columns, len(thumbs))
    sheet = Image.new("RGB", (cols * (tw + _GAP) + _GAP, rows * (th + _GAP) + _GAP), (24, 24, 24))
    draw = ImageDraw.Draw(sheet)
    for n, (index, thumb) in enumerate(thumbs):
        x, y = _GAP + (n % columns) * (tw + _GAP), _GAP + (n // columns) * (th + _GAP)
        sheet.paste(thumb, (x, y))
        draw.rectangle((x, y, x + 8 + 7 * len(str(index)), y + 13), fill=(0, 0, 0))
        draw.text((x + 3, y + 1), str(index), fill=(255, 255, 255))
    return sheet


def frame_times(count: int, fps: float) -> list[int]:
    """Milliseconds each of ``count`` frames shows for, in GIF's hundredths of a second, adding up to the
    clip's length: one rounded time for all ran a 30 fps clip 10 % fast (30 ms for 33.3). Frames are
    never under 20 ms, which browsers slow to 100; a clip above 50 fps plays at 50."""
    ends = [max(20 * (i + 1), round((i + 1) * 100 / fps) * 10) for i in range(count)]
    return [end - start for start, end in zip([0, *ends[:-1]], ends, strict=True)]


def animated_preview(frames: np.ndarray, fps: float) -> bytes:
    """The clip as a looping GIF in its own time (GIF counts in hundredths of a second)."""
    images = [_scaled(frame) for frame in frames]
    buffer = io.BytesIO()
    durations = frame_times(len(images), fps)
    images[0].save(buffer, format="GIF", save_all=True, append_images=images[1:], duration=durations, loop=0)
    return buffer.getvalue()


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` all or nothing (beside it, then renamed into place)."""
    with staged(path) as (tmp,):
        tmp.write_bytes(data)
    return path
