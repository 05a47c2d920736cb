"""Whether a video file stops part-way: a copy or download cut short, in a frame or in its sound."""

from __future__ import annotations

import os
from pathlib import Path

from reelgen.core.errors import InvalidRequest


def stops_short(path: str | Path, listed: int) -> bool:
    """Whether ``path`` holds fewer video packets than the ``listed`` frames and its data stops inside
    a packet: the last one read, of any stream, runs to the file's end.

    Packets an edit list leaves out of the picture are counted (the timing skips them), so a trimmed
    phone clip is no file cut short. Every stream's packets count for where the data stops: a copy
    that stopped in the sound, after the last whole frame, passed as whole. Read, not decoded.
    """
    import av

    end, frames = -1, 0
    try:
        with av.open(str(path)) as container:
            video = container.streams.video[0]
            for packet in container.demux():
                if packet.size and packet.pos is not None and packet.pos >= 0:
                    end = max(end, packet.pos + packet.size)
                frames += bool(packet.size) and packet.stream.index == video.index
    except av.error.FFmpegError:  # it read once already: a stop here is the file's end
        return True
    return frames < listed and end >= os.path.getsize(path)


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
