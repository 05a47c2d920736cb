"""A finished video's sprite sheet: up to 16 frames from first to last in a JPEG grid, made once beside it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from reelgen.core.atomic import new_file_beside, write_failed
from reelgen.core.errors import GenerationFailed
from reelgen.core.picture_stream import picture_stream

#: File name of the sheet, in the attempt folder of the video it shows.
NAME = "spritesheet.jpg"
#: At most this many frames are shown; a shorter clip shows each of its frames.
FRAMES = 16
COLUMNS = 4
#: Width of each cell; its height keeps the video's aspect.
CELL_WIDTH = 256
#: The tallest a cell is: a video far taller than wide gets narrower cells instead. A 16x2048 clip's
#: were 256x32768, a sheet of 65536 rows that JPEG cannot hold (at most 65500): an internal error.
CELL_HEIGHT = 4 * CELL_WIDTH
QUALITY = 85


def sampled(count: int, frames: int = FRAMES) -> list[int]:
    """Indices of ``min(frames, count)`` frames spread evenly from the first to the last, rounded."""
    shown = min(frames, count)
    if shown <= 1:
        return list(range(shown))
    # Integer rounding (half up), so the same indices come out on every platform.
    return [(i * (count - 1) * 2 + shown - 1) // (2 * (shown - 1)) for i in range(shown)]


def cell_height(width: int, height: int) -> int:
    """Height of a cell showing a ``width`` x ``height`` frame ``CELL_WIDTH`` wide (at least 1 px,
    at most ``CELL_HEIGHT``)."""
    return min(CELL_HEIGHT, max(1, round(height * CELL_WIDTH / width)))


def cell_size(width: int, height: int) -> tuple[int, int]:
    """The cell a ``width`` x ``height`` frame is shown in: ``CELL_WIDTH`` wide, or narrower where the
    frame is so tall its cell would be over ``CELL_HEIGHT``; its aspect kept."""
    tall = cell_height(width, height)
    return (CELL_WIDTH if tall < CELL_HEIGHT else max(1, round(width * CELL_HEIGHT / height))), tall


def ensure(video: Path) -> Path | None:
    """The sheet of ``video``, made now if it is not there yet; None if the video's folder is gone.

    Concurrent first requests each write their own hidden file and rename it into place: the
    sheet is always one whole file, whichever rename comes last (both hold the same picture).
    """
    sheet = video.with_name(NAME)
    if sheet.is_file():
        return sheet
    data = render(video)
    try:
        # Not core.atomic.staged: it makes missing folders, which would bring back the folder of a
        # video deleted while its sheet was being made.
        tmp = new_file_beside(sheet)
    except FileNotFoundError:
        return None
    try:
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, sheet)
    except FileNotFoundError:  # the video was deleted meanwhile
        tmp.unlink(missing_ok=True)
        return None
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise write_failed(exc, sheet) from None
    return sheet


def render(video: Path) -> bytes:
    """The sheet of ``video`` as JPEG bytes; ``GenerationFailed`` if the video cannot be decoded.

    Frames are decoded one at a time and only the sampled ones are kept, scaled down to their
    cell, so a long clip never sits in memory.
    """
    import av

    size = (0, 0)
    try:
        with av.open(str(video)) as container:
            # The film, not cover art listed before it (a sheet of one poster).
            stream = picture_stream(container)
            if stream is None:
                raise GenerationFailed("the video has no moving picture to make a spritesheet of")
            size = (stream.codec_context.width, stream.codec_context.height)
            count = stream.frames or _count_packets(container, stream)
            cells = _cells(container, stream, sampled(count))
            if cells:
                return _grid(cells)
    except MemoryError:  # FFmpeg's ENOMEM too: it was "could not be decoded (Cannot allocate memory)"
        each = size[0] * size[1] * 3 / 1e6
        raise GenerationFailed(
            f"out of memory making the spritesheet: the video's {size[0]}x{size[1]} frames ({each:,.1f} MB "
            "each) did not fit in the server's free memory; try again when it has more free"
        ) from None
    except (av.error.FFmpegError, IndexError) as exc:
        # The reason alone: an FFmpeg error's text carries the server's path to the file.
        reason = getattr(exc, "strerror", None) or str(exc)
        raise GenerationFailed(f"the video could not be decoded to make its spritesheet ({reason})") from None
    raise GenerationFailed("the video has no frames to make a spritesheet of")


def _count_packets(container: Any, stream: Any) -> int:
    """Frames of a stream whose header does not say: its packets counted (read, not decoded)."""
    count = sum(1 for packet in container.demux(stream) if packet.size)
    container.seek(0, stream=stream)
    return count


def _cells(container: Any, stream: Any, wanted: list[int]) -> list[Any]:
    """The frames at ``wanted`` (ascending) as PIL images ``CELL_WIDTH`` wide, decoded in one pass."""
    from reelgen.core.media import frame_threads

    frame_threads(stream, at_most=2)  # the worker's next job needs the CPU too
    cells: list[Any] = []
    last = None
    for index, frame in enumerate(container.decode(stream)):
        last = frame
        if index == wanted[len(cells)]:
            cells.append(_scaled(frame))
            if len(cells) == len(wanted):
                break
    if last is not None and len(cells) < len(wanted):
        # The header counted more frames than were decoded: the last one decoded stands for the rest,
        # so the sheet still ends on the clip's last frame.
        cells += [_scaled(last)] * (len(wanted) - len(cells))
    return cells


def _scaled(frame: Any) -> Any:
    """A decoded frame as an RGB PIL image ``CELL_WIDTH`` wide, its aspect kept."""
    from PIL import Image

    image = frame.to_image()
    size = cell_size(image.width, image.height)
    return image.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)


def _grid(cells: list[Any]) -> bytes:
    """``cells`` in rows of ``COLUMNS``, no gaps (the last row's empty cells black), as JPEG."""
    import io

    from PIL import Image

    width, height = cells[0].size
    rows = -(-len(cells) // COLUMNS)
    sheet = Image.new("RGB", (COLUMNS * width, rows * height))
    for i, cell in enumerate(cells):
        sheet.paste(cell, ((i % COLUMNS) * width, (i // COLUMNS) * height))
    buf = io.BytesIO()
    sheet.save(buf, format="JPEG", quality=QUALITY)
    return buf.getvalue()
