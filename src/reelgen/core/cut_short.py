"""Whether a video or audio file stops part-way (a copy or download cut short), and the frames such a file holds."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from reelgen.core.errors import InvalidRequest
from reelgen.core.picture_stream import picture_stream


class Tally:
    """Where a file's packets stop and how many of one stream's there are, counted as they are read.

    A reader that demuxes the file anyway counts here, so telling a file cut short from a whole
    one (``short_of``) takes no second pass over it.
    """

    def __init__(self, index: int) -> None:
        self.index = index  # the stream whose packets are counted
        self.end = -1  # the byte after the furthest packet, of any stream
        self.count = 0
        self.broken = False  # the demuxer failed: the data stops inside a packet

    def see(self, packet: Any) -> None:
        if packet.size and packet.pos is not None and packet.pos >= 0:
            self.end = max(self.end, packet.pos + packet.size)
        self.count += bool(packet.size) and packet.stream.index == self.index

    def counted(self, packets: Iterator[Any]) -> Iterator[Any]:
        """``packets``, each seen as it passes; a demuxer's failure marks the data as stopping there."""
        import av

        try:
            for packet in packets:
                self.see(packet)
                yield packet
        except av.error.FFmpegError:
            self.broken = True
            raise

    def drain(self, packets: Iterator[Any]) -> None:
        """Count the rest of ``packets`` (from ``counted``) after a decoder failed on one of them."""
        import av

        try:
            for _ in packets:
                pass
        except av.error.FFmpegError:
            pass  # ``counted`` marked it: the data stops here

    def short_of(self, listed: int, size: int) -> bool:
        """Whether fewer packets than ``listed`` were read and the data stops at the file's ``size``."""
        return self.count < listed and (self.broken or self.end >= size)


def stops_short(path: str | Path | BinaryIO, listed: int, kind: str = "video") -> bool:
    """Whether ``path`` holds fewer packets of its first ``kind`` stream (video, its picture; audio) than the
    ``listed`` ones and its data stops inside a packet: the last one read, of any stream, runs to
    the file's end.

    Packets an edit list leaves out of the picture are counted (the timing skips them), so a trimmed
    phone clip is no file cut short. Every stream's packets count for where the data stops: a copy
    that stopped in the sound, after the last whole frame, passed as whole. Read, not decoded.
    ``path`` may be an open file (an upload held in memory), read from its start.
    """
    import av

    if isinstance(path, str | Path):
        source: str | BinaryIO = str(path)
        size = os.path.getsize(path)
    else:
        source, size = path, path.seek(0, os.SEEK_END)
        path.seek(0)
    try:
        with av.open(source, mode="r") as container:
            tally = Tally(_first(container, kind).index)
            for packet in container.demux():
                tally.see(packet)
    except av.error.FFmpegError:  # it read once already: a stop here is the file's end
        return True
    return tally.short_of(listed, size)


def refuse_cut_short(path: str | Path, shown: str, param: str, listed: int, count: int) -> None:
    """Refuse a file whose header lists ``listed`` frames but which stops after ``count`` video
    packets (``stops_short``): a download stopped part-way was taken as a shorter clip."""
    if not listed or count >= listed or not stops_short(path, listed):
        return
    raise InvalidRequest(
        f"{param}: {shown} is cut short: its header lists {listed} frames, but the file stops in frame "
        f"{count} (a copy or download that stopped part-way?); give the whole file",
        param=param,
    )


def frames_after(path: str | Path, skip: int) -> Iterator[Any]:
    """The frames of the picture of ``path`` (``_first``) after the first ``skip``, decoded on one thread.

    FFmpeg's frame threads drop the frames still in flight when a packet fails (the broken last one
    of a file cut short): 3 of the 5 whole frames came out. One thread, going on past a packet that
    fails and drained at the end, gives every frame that can decode.
    """
    import av

    decoded = 0
    with av.open(str(path)) as container:
        stream = _first(container, "video")
        for packet in container.demux(stream):
            try:
                frames = stream.decode(packet)
            except av.error.FFmpegError:  # that packet's frame is lost; those before it are not
                continue
            for frame in frames:
                decoded += 1
                if decoded > skip:
                    yield frame


def _first(container: Any, kind: str) -> Any:
    """The first ``kind`` stream of ``container``; of video, its picture: a film listing its cover art
    first was read as that one picture (no frames after a skip of 1, and the whole film "cut short")."""
    streams = getattr(container.streams, kind)
    return (picture_stream(container) if kind == "video" else None) or streams[0]
