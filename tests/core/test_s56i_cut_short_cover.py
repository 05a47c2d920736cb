"""A film whose cover art is listed before its picture: the frames of a clip cut short, and whether it stops
short, are read from the film, not from the cover."""

from __future__ import annotations

import io
import struct
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image

from reelgen.core.cut_short import frames_after, stops_short


def _atoms(data: bytes, start: int, end: int) -> list[tuple[bytes, int, int]]:
    """The MP4 boxes from ``start`` to ``end``: (kind, offset, size)."""
    found = []
    while start < end:
        size, kind = struct.unpack(">I4s", data[start : start + 8])
        found.append((kind, start, size))
        start += size
    return found


def _cover_first(path: Path) -> Path:
    """An MP4 with a 40x32 JPEG cover as its first stream, then a 6-frame 64x48 film.

    FFmpeg writes the cover (``covr``, in ``moov/udta``) after the film's track, and lists it last; other
    tools write ``udta`` first, and FFmpeg then lists the cover first. Moved here, the offsets hold.
    """
    jpeg = io.BytesIO()
    Image.fromarray(np.full((32, 40, 3), (200, 30, 30), np.uint8)).save(jpeg, "JPEG")
    with av.open(str(path), "w", format="mp4", options={"movflags": "+faststart"}) as container:
        cover = container.add_stream("mjpeg")
        cover.width, cover.height, cover.pix_fmt = 40, 32, "yuvj420p"
        cover.disposition = av.stream.Disposition.attached_pic
        video = container.add_stream("libx264", rate=24)
        video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        packet = av.Packet(jpeg.getvalue())
        packet.stream, packet.pts, packet.dts, packet.time_base = cover, 0, 0, Fraction(1, 90000)
        container.mux(packet)
        for k in range(6):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), 40 * k, np.uint8), format="rgb24")
            frame.pts, frame.time_base = k, Fraction(1, 24)
            container.mux(video.encode(frame))
        container.mux(video.encode())
    data = path.read_bytes()
    _, at, size = next(box for box in _atoms(data, 0, len(data)) if box[0] == b"moov")
    inside = sorted(_atoms(data, at + 8, at + size), key=lambda box: box[0] != b"udta")
    path.write_bytes(data[: at + 8] + b"".join(data[a : a + n] for _, a, n in inside) + data[at + size :])
    return path


def test_the_frames_after_a_skip_are_the_films_not_the_covers(tmp_path: Path) -> None:
    path = _cover_first(tmp_path / "film.mp4")
    with av.open(str(path)) as container:  # as such a file is read
        assert [s.codec_context.name for s in container.streams.video] == ["mjpeg", "h264"]
    frames = list(frames_after(path, 2))
    # The cover's one 40x32 picture came out, and the skip of 2 left nothing of it.
    assert [(f.width, f.height) for f in frames] == [(64, 48)] * 4


def test_a_whole_film_behind_a_cover_does_not_stop_short(tmp_path: Path) -> None:
    path = _cover_first(tmp_path / "film.mp4")
    assert not stops_short(path, 6)  # counted the cover's one packet: 1 of the 6 listed
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size - 200])
    assert stops_short(cut, 6)
