"""Animated GIF output: every frame drawn from one palette made for the whole clip, looped forever, the record in a comment."""

from __future__ import annotations

import errno
import json
import math
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from reelgen.core.atomic import new_file_beside
from reelgen.core.encoder_memory import EncoderOutOfMemory, encoder_out_of_memory

#: The suffix of an animated GIF.
GIF = ".gif"

#: FFmpeg's GIF muxer options: loop forever (0), as ComfyUI's Video Combine and most GIFs do.
MUXER_OPTIONS = {"loop": "0"}

#: palettegen's ``stats_mode=full``: one palette from the colours of every frame, so a colour seen in
#: a few frames only is still there; paletteuse's error diffusion (sierra2_4a) then hides the banding.
PALETTE_GEN, PALETTE_USE = "stats_mode=full", "dither=sierra2_4a"

#: The GIF delay unit: a frame lasts a whole number of hundredths of a second.
TICK = Fraction(1, 100)

#: The shortest delay browsers honour: they show a frame of 0 or 1 hundredths for a tenth of a second.
FASTEST_FPS = 50


#: Frames that can be read more than once: a clip's array, a list, or a spooled clip mapped from disk.
Clip = np.ndarray | Sequence[np.ndarray]


def is_gif(path: str | Path) -> bool:
    return Path(path).suffix.lower() == GIF


def left_out(output: Path, sound: bool, subtitles: Sequence[str] = ()) -> str | None:
    """What of the source a GIF at ``output`` does not hold, in one line, or None when nothing is lost."""
    lost = (["the sound"] if sound else []) + (
        [f"the subtitles ({', '.join(subtitles)})"] if subtitles else []
    )
    if not lost:
        return None
    is_, it = ("is", "it") if lost == ["the sound"] else ("are", "them")
    return (
        f"{' and '.join(lost)} {is_} not in {output.name}: a GIF holds pictures only; "
        f"write .mp4, .mov, .mkv or .webm to keep {it}"
    )


#: Output megapixels (frames x width x height) above which a GIF is said up front to be big and slow.
BIG_MEGAPIXELS = 100

#: Bytes a GIF takes per pixel of its frames: 0.57 for a moving 720p photo, dithered to one palette
#: (12.5 MB for 24 frames); flat cartoons take less, film grain more.
BYTES_PER_PIXEL = 0.5


#: How ``size_note`` ends for ``reelgen enhance``, whose options make a GIF big.
SMALLER = "give a smaller --upscale or a shorter clip"


def size_note(output: Path, frames: int, size: tuple[int, int], smaller: str = SMALLER) -> str | None:
    """A warning, before any work, where ``output`` will be a GIF of over ``BIG_MEGAPIXELS``: it said
    nothing, then took many minutes after the last frame was made (two passes over every frame) and
    wrote hundreds of MB. ``smaller``: how to make it smaller, in the words of what makes it."""
    megapixels = frames * size[0] * size[1] / 1e6
    if megapixels <= BIG_MEGAPIXELS:
        return None
    mb = megapixels * BYTES_PER_PIXEL
    weight = f"{mb / 1000:,.1f} GB" if mb >= 1000 else f"{_figure(mb)} MB"
    return (
        f"{output.name} will be a big GIF: {frames} frames of {size[0]}x{size[1]} ({_figure(megapixels)} megapixels), "
        f"some {weight}, and slow to make (two more passes over every frame once the last is made: minutes on a "
        f"CPU); .mp4 or .webm is a fraction of the size and time, or {smaller}"
    )


def _figure(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def timing_note(fps: Fraction) -> str | None:
    """A warning where GIF's hundredths cannot time the frames as players will show them, else None."""
    if fps <= FASTEST_FPS:
        return None
    dropped = (
        f"; a GIF holds at most {1 / TICK} frames a second, so frames less than 1/100 s after the one "
        "before are left out"
        if fps > 1 / TICK
        else ""
    )
    return (
        f"{float(fps):g} fps is faster than a GIF plays in browsers: frames of 1/100 s are shown for "
        f"1/10 s there{dropped}; make it {FASTEST_FPS} fps or less, or write .mp4 or .webm"
    )


def shown(count: int, fps: Fraction) -> int:
    """How many of ``count`` frames at ``fps`` a GIF holds: all up to 100 fps, fewer above (``_frames``)."""
    return len({_hundredth(index, fps) for index in range(count)})


def _hundredth(index: int, fps: Fraction) -> int:
    """The hundredth of a second frame ``index`` is placed at, rounded as FFmpeg's muxer rescales it
    (half away from zero)."""
    return math.floor(index / (fps * TICK) + Fraction(1, 2))


def encode_gif(
    tmp: Path,
    frames: Iterable[np.ndarray],
    size: tuple[int, int],
    fps: Fraction,
    metadata: dict[str, Any] | None = None,
    check: Callable[[], None] | None = None,
) -> None:
    """Encode ``frames`` (H, W, 3 uint8 of ``size``) into the GIF ``tmp`` (a file from ``staged``).

    Two passes: the palette needs every frame before the first can be drawn with it. A
    single FFmpeg graph (split -> palettegen -> paletteuse) would hold the whole clip
    decoded inside FFmpeg until its end; here a clip already in memory is read twice and
    a stream (``reelgen enhance``) is spooled to disk once, so memory stays bounded. The
    muxer places each frame at its time rounded to 1/100 s, so delays alternate (4, 4, 5
    hundredths at 24 fps) and the clip keeps its length rather than drifting.

    ``check`` (a cancel check) runs before every frame of both passes: they come after the last frame
    was made, and take a while on a long clip, so a Ctrl-C then stops them rather than being ignored.
    """
    try:
        _encode_gif(tmp, frames, size, fps, metadata, check or (lambda: None))
    except (MemoryError, OSError) as exc:
        # A GIF too big for the free memory was "cannot write x.gif (Cannot allocate memory)" or a raw
        # OSError/MemoryError; it is said as a video's encoder short of memory is. A full disk is not this.
        if isinstance(exc, EncoderOutOfMemory) or not (
            isinstance(exc, MemoryError) or exc.errno == errno.ENOMEM
        ):
            raise
        raise encoder_out_of_memory(tmp, size) from None


def _encode_gif(
    tmp: Path,
    frames: Iterable[np.ndarray],
    size: tuple[int, int],
    fps: Fraction,
    metadata: dict[str, Any] | None,
    check: Callable[[], None],
) -> None:
    """``encode_gif``'s work, its failures as they come."""
    with _twice(frames, tmp.parent) as clip:
        palette = _palette(clip, size, fps, check)
        body = new_file_beside(tmp) if metadata is not None else tmp
        try:
            _encode(body, clip, size, fps, palette, check)
            if metadata is not None:
                with_comment(body, tmp, json.dumps(metadata, sort_keys=True, default=str))
        finally:
            if body != tmp:
                body.unlink(missing_ok=True)


def with_comment(source: Path, target: Path, text: str) -> None:
    """Copy the GIF ``source`` to ``target`` with ``text`` in a comment block before its first picture.

    FFmpeg's GIF muxer writes no metadata, but its demuxer reads a comment block as the
    ``comment`` tag, the tag the other containers carry the record in: ``reelgen replay
    clip.gif`` reads it as it reads an MP4's.
    """
    data = text.encode("ascii", "backslashreplace")  # GIF comments are 7-bit text; JSON escapes the rest
    blocks = b"".join(bytes([len(data[i : i + 255])]) + data[i : i + 255] for i in range(0, len(data), 255))
    with open(source, "rb") as src, open(target, "wb") as dst:
        head = src.read(13)  # "GIF89a" and the logical screen descriptor, whose flags tell the palette's size
        if len(head) < 13 or not head.startswith(b"GIF"):
            raise ValueError(f"{source} is not a GIF")
        flags = head[10]
        table = 3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0
        dst.write(head + src.read(table) + b"\x21\xfe" + blocks + b"\x00")
        shutil.copyfileobj(src, dst, 1 << 20)


@contextmanager
def _twice(frames: Iterable[np.ndarray], folder: Path) -> Iterator[Clip]:
    """``frames`` as a sequence that can be read twice: as they are when they already are one, else
    spooled to a nameless file in ``folder`` (gone with the process, however it ends)."""
    if isinstance(frames, np.ndarray | Sequence):
        yield frames
        return
    with tempfile.TemporaryFile(dir=folder) as spool:
        count, shape = 0, (0, 0, 3)
        for frame in frames:
            frame = np.ascontiguousarray(frame, dtype=np.uint8)
            spool.write(frame.data)
            count, shape = count + 1, frame.shape
        spool.flush()
        yield _Spooled(spool, count, shape) if count else []


class _Spooled(Sequence[np.ndarray]):
    """The frames spooled to ``spool``, read back one at a time.

    Not ``np.memmap`` of the whole file: mapping it needs address space for the whole clip at once,
    which a machine short of memory (or a ``ulimit -v``) refuses at 8192x4608, "cannot write x.gif
    (Cannot allocate memory)", though each pass holds one frame at a time.
    """

    def __init__(self, spool: Any, count: int, shape: tuple[int, ...]) -> None:
        self._spool, self._count, self._shape = spool, count, shape
        self._size = math.prod(shape)

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if not -self._count <= index < self._count:
            raise IndexError(index)
        frame = np.empty(self._shape, dtype=np.uint8)
        self._spool.seek((index % self._count) * self._size)
        self._spool.readinto(frame.reshape(-1).data)
        return frame


def _even(frame: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """``frame`` at ``size``, its last row/column repeated where the size was made even: every container
    reelgen writes has even sides, so a job's promised size and the record hold for a GIF too."""
    h, w = frame.shape[:2]
    if (w, h) != size:
        frame = np.pad(frame, ((0, size[1] - h), (0, size[0] - w), (0, 0)), mode="edge")
    return frame


def _frames(clip: Clip, size: tuple[int, int], fps: Fraction, check: Callable[[], None]) -> Iterator[Any]:
    """The frames a GIF holds: above 100 fps two frames can fall on one hundredth, which the muxer
    refuses (times must rise), and the second would be shown for no time; it is left out."""
    import av

    last = -1
    for index, image in enumerate(clip):
        check()
        if (at := _hundredth(index, fps)) == last:
            continue
        last = at
        frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(_even(image, size)), format="rgb24")
        frame.pts, frame.time_base = index, 1 / fps
        yield frame


def _pulled(graph: Any) -> Iterator[Any]:
    """The frames ``graph`` has ready now."""
    import av

    while True:
        try:
            yield graph.pull()
        except (av.error.BlockingIOError, av.error.EOFError):
            return


def _palette(clip: Clip, size: tuple[int, int], fps: Fraction, check: Callable[[], None]) -> Any:
    """The 256 colours palettegen picks for the whole clip (a 16x16 frame)."""
    import av

    graph = av.filter.Graph()
    source = graph.add_buffer(
        width=size[0], height=size[1], format=av.VideoFormat("rgb24"), time_base=1 / fps
    )
    chain = [source, graph.add("palettegen", PALETTE_GEN), graph.add("buffersink")]
    for a, b in zip(chain, chain[1:], strict=False):
        a.link_to(b)
    graph.configure()
    made: list[Any] = []
    for frame in _frames(clip, size, fps, check):
        source.push(frame)
        # Pulled at once: FFmpeg runs a graph when asked for output, and held every frame pushed till
        # then, the whole clip (40 frames of 4096x2304 did not fit in 1.5 GB); palettegen keeps counts.
        made += _pulled(graph)
    source.push(None)
    return [*made, *_pulled(graph)][0]


def _encode(
    path: Path, clip: Clip, size: tuple[int, int], fps: Fraction, palette: Any, check: Callable[[], None]
) -> None:
    """The frames drawn with ``palette`` (paletteuse) and encoded as GIF into ``path``."""
    import av

    graph = av.filter.Graph()
    source = graph.add_buffer(
        width=size[0], height=size[1], format=av.VideoFormat("rgb24"), time_base=1 / fps
    )
    colours = graph.add_buffer(
        width=palette.width, height=palette.height, format=palette.format, time_base=1 / fps
    )
    use, sink = graph.add("paletteuse", PALETTE_USE), graph.add("buffersink")
    source.link_to(use, 0, 0)
    colours.link_to(use, 0, 1)
    use.link_to(sink)
    graph.configure()
    palette.pts, palette.time_base = 0, 1 / fps
    colours.push(palette)
    colours.push(None)
    with av.open(str(path), mode="w", format="gif", options=MUXER_OPTIONS) as container:
        stream: Any = container.add_stream("gif", rate=fps)
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "pal8"
        for frame in _frames(clip, size, fps, check):
            source.push(frame)
            for drawn in _pulled(graph):
                container.mux(stream.encode(drawn))
        source.push(None)
        for drawn in _pulled(graph):
            container.mux(stream.encode(drawn))
        container.mux(stream.encode(None))
