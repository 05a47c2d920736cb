"""The silence an audio encoder pads its last frame with, marked on that frame's packet for the muxer.

AAC codes 1024 samples a frame, so a film's sound rarely ends on a frame's edge: the encoder pads the
last frame with silence and says only, by that packet's shorter duration, how much of it is sound.
MP4 and MOV keep that duration; Matroska keeps no duration for an audio block, so an MKV's sound ran
up to 21 ms past the picture. Marked as the packet's "skip samples" (the end count), the Matroska
muxer writes it as the block's DiscardPadding and players drop it, as they do for Opus in WebM.
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache
from typing import Any

#: The side data FFmpeg reads the samples to drop from: 4 bytes dropped at the start, 4 at the end
#: (little-endian), then a reason byte for each.
_SIDE_DATA_SIZE = 10


def mark_end_padding(packet: Any, frame_size: int, rate: int) -> None:
    """Mark on ``packet`` (an encoder's last) the samples of ``frame_size`` past its duration, if any.

    A packet that already says what to drop (libopus's do) is left as it is.
    """
    if not frame_size or packet.duration is None or packet.time_base is None:
        return
    if packet.has_sidedata("skip_samples"):
        return
    sound = round(packet.duration * packet.time_base * rate)
    padding = frame_size - sound
    if not 0 < padding < frame_size:
        return
    blank = _blank_skip_samples()
    if blank is None:  # no libopus in this FFmpeg: the padding stays, as it was
        return
    blank.update(b"\0" * 4 + padding.to_bytes(4, "little") + b"\0\0")
    packet.set_sidedata(blank)


def _blank_skip_samples() -> Any:
    """A "skip samples" side data to fill in, or None.

    PyAV copies side data from a packet but makes none of its own, so one is taken from the packet
    libopus ends a short sound with (it marks its own padding so); a copy, filled in per packet.
    """
    template = _skip_samples_template()
    if template is None:
        return None
    import av

    carrier = av.Packet(b"\0")
    carrier.set_sidedata(template)
    return carrier.get_sidedata("skip_samples")


@cache
def _skip_samples_template() -> Any:
    import av
    import numpy as np

    try:
        encoder = av.CodecContext.create("libopus", "w")
    except (av.error.FFmpegError, ValueError):
        return None
    encoder.sample_rate, encoder.layout, encoder.format = 48_000, "mono", "s16"
    encoder.time_base = Fraction(1, 48_000)
    frame = av.AudioFrame.from_ndarray(np.zeros((1, 100), np.int16), format="s16", layout="mono")
    frame.sample_rate, frame.pts = 48_000, 0
    try:
        packets = [*encoder.encode(frame), *encoder.encode(None)]
    except av.error.FFmpegError:
        return None
    found = next((p.get_sidedata("skip_samples") for p in packets if p.has_sidedata("skip_samples")), None)
    return found if found is not None and found.data_size == _SIDE_DATA_SIZE else None
