"""Which FFmpeg encoder makes each codec, with what settings, and which audio codec goes beside it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from typing import Any

from reelgen.core.encode import tag_bt601, x264_params
from reelgen.core.errors import InvalidRequest
from reelgen.core.export.settings import Codec, Container, SettingNames


@dataclass(frozen=True)
class Encoder:
    """One FFmpeg encoder for a codec: its pixel format, default quality and private options."""

    name: str
    pix_fmt: str
    crf: int | None
    options: dict[str, str] = field(default_factory=dict)
    #: Container tag, where players need a specific one (H.265 as hvc1 for Apple players).
    tag: str | None = None
    #: The shortest side in pixels it encodes (x265 works in blocks of 16).
    min_side: int = 2


#: Encoders per codec, best first; the first one this FFmpeg build has is used.
ENCODERS: dict[Codec, tuple[Encoder, ...]] = {
    Codec.H264: (Encoder("libx264", "yuv420p", 18, {"preset": "medium"}),),
    Codec.H265: (
        Encoder("libx265", "yuv420p", 22, {"preset": "medium", "x265-params": "log-level=error"}, "hvc1", 16),
    ),
    # Constant quality in libvpx needs a zero bitrate cap next to crf.
    Codec.VP9: (
        Encoder("libvpx-vp9", "yuv420p", 32, {"b": "0", "row-mt": "1", "deadline": "good", "cpu-used": "4"}),
    ),
    Codec.AV1: (
        Encoder("libsvtav1", "yuv420p", 35, {"preset": "8"}, min_side=4),
        Encoder("libaom-av1", "yuv420p", 30, {"b": "0", "cpu-used": "6", "row-mt": "1"}),
        Encoder("librav1e", "yuv420p", None, {"speed": "8"}),
    ),
    # Profile 3 is ProRes 422 HQ, the usual editing intermediate.
    Codec.PRORES: (Encoder("prores_ks", "yuv422p10le", None, {"profile": "3"}),),
}

#: Audio codec per container (ProRes in MOV carries uncompressed PCM, as editors expect).
AUDIO: dict[Container, str] = {
    Container.MP4: "aac",
    Container.MOV: "aac",
    Container.MKV: "aac",
    Container.WEBM: "libopus",
}
#: FFmpeg's muxer for each container (its extension names it for all but MKV).
FORMATS: dict[Container, str] = {c: c.value for c in Container} | {Container.MKV: "matroska"}
PRORES_AUDIO = "pcm_s16le"
#: The sample rate the export's audio is mixed at (Opus takes only 48 kHz; AAC is happy with it).
SAMPLE_RATE = 48_000


class SteadyDts:
    """Each video packet's decode time as a muxer takes it: at most its show time, and at most
    ``REORDER`` frames before it. libx265 gave the one packet of a film of a frame or two a decode
    time out of uninitialised memory (-7e13), and the MP4 muxer refused it ("patches welcome")."""

    #: The most frames an encoder holds a picture back (x265 and x264 reorder far fewer).
    REORDER = 16

    def __init__(self, fps: Fraction) -> None:
        self.fps = fps
        self.last: int | None = None

    def __call__(self, packet: Any) -> Any:
        pts, dts = packet.pts, packet.dts
        if (
            pts is not None
            and dts is not None
            and not 0 <= (pts - dts) * packet.time_base * self.fps <= self.REORDER
        ):
            packet.dts = pts if self.last is None else min(pts, self.last + 1)
        self.last = packet.dts
        return packet


@cache
def has_encoder(name: str) -> bool:
    """Whether this FFmpeg build (the one PyAV carries) can encode with ``name``."""
    import av

    try:
        av.codec.Codec(name, "w")
    except (av.error.FFmpegError, ValueError):
        return False
    return True


def encoder_for(codec: Codec, param: str = "export.codec") -> Encoder:
    """The first encoder of ``codec`` this build has; InvalidRequest naming the ones it lacks."""
    for encoder in ENCODERS[codec]:
        if has_encoder(encoder.name):
            return encoder
    names = ", ".join(e.name for e in ENCODERS[codec])
    raise InvalidRequest(
        f"{param}: this FFmpeg build has no {codec.value} encoder (looked for {names}); pick another codec",
        param=param,
    )


def check_size(encoder: Encoder, codec: Codec, size: tuple[int, int], names: SettingNames) -> None:
    """Refuse a film smaller than ``encoder`` encodes, naming the side (FFmpeg said "Invalid argument")."""
    for side, pixels in zip(("width", "height"), size, strict=True):
        if pixels < encoder.min_side:
            raise InvalidRequest(
                f"{names(side)}: the film would be {size[0]}x{size[1]}, and {codec.value} ({encoder.name}) "
                f"takes sides of at least {encoder.min_side} pixels; give a larger {side}, or another codec",
                param=names(side),
            )


def audio_codec(container: Container, codec: Codec) -> str:
    return PRORES_AUDIO if codec is Codec.PRORES else AUDIO[container]


def add_video_stream(
    container: Any, encoder: Encoder, width: int, height: int, fps: Any, crf: int | None
) -> Any:
    """An opened-for-writing video stream of ``encoder`` at the export's size, rate and quality."""
    stream: Any = container.add_stream(encoder.name, rate=fps)
    stream.width, stream.height, stream.pix_fmt = width, height, encoder.pix_fmt
    options = dict(encoder.options)
    quality = crf if crf is not None else encoder.crf
    if quality is not None:
        options["crf"] = str(quality)
    if encoder.name == "libx264":
        options.update(x264_params())  # the same film from the same clips (see x264_params)
    if encoder.name == "libvpx-vp9":
        stream.bit_rate = 0
    if encoder.name == "libsvtav1":
        # SVT-AV1 prints its whole configuration to stderr unless told otherwise; errors only.
        os.environ.setdefault("SVT_LOG", "1")
    stream.options = options
    if encoder.tag:
        stream.codec_tag = encoder.tag
    if encoder.pix_fmt.startswith("yuv"):
        tag_bt601(stream)
    return stream
