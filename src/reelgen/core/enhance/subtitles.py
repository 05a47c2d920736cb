"""The source's text subtitles carried into the enhanced file: copied, or re-encoded in the container's own codec."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: The text subtitle codec each output container holds: MP4 and MOV take timed text, WebM WebVTT,
#: MKV SubRip, and keeps SubRip, ASS and WebVTT as they are (``KEPT``, by every name FFmpeg reads them as).
TEXT_CODECS = {".mp4": "mov_text", ".mov": "mov_text", ".mkv": "subrip", ".webm": "webvtt"}
KEPT = {".mkv": ("subrip", "srt", "ass", "ssa", "webvtt")}


@dataclass(frozen=True)
class Track:
    """A subtitle stream of the source: its codec, its language tag, whether it is text (not pictures)."""

    codec: str
    language: str
    text: bool

    def written_as(self, suffix: str) -> str | None:
        """The codec this track is written in for an output ending in ``suffix``; None: not carried.

        Subtitles drawn as pictures (a DVD's, a Blu-ray's PGS) have no text to write as timed text.
        """
        if not self.text:
            return None
        return self.codec if self.codec in KEPT.get(suffix.lower(), ()) else TEXT_CODECS.get(suffix.lower())

    def record(self, suffix: str) -> dict[str, Any]:
        return {"codec": self.codec, "language": self.language, "written_as": self.written_as(suffix)}


def ass_text(event: bytes) -> bytes:
    """The text of an ASS event line as FFmpeg gives a cue (``ReadOrder,Layer,Style,Name,MarginL,MarginR,
    MarginV,Effect,Text``), its override tags (``{\\i1}``) kept. PyAV 18.1.1's ``dialogue`` drops them,
    where 18.1.0's kept them: a cue of several lines lost its italics."""
    return event.split(b",", 8)[-1]


def tracks(container: Any) -> tuple[Track, ...]:
    """Every subtitle stream of an open ``container``, in order."""
    import av

    found = []
    for stream in container.streams.subtitles:
        name = stream.codec_context.name
        try:
            text = bool(av.codec.Codec(name, "r").text_sub)
        except av.error.FFmpegError:  # no decoder here: nothing can be read out of it
            text = False
        found.append(Track(name, str(stream.metadata.get("language") or "und"), text))
    return tuple(found)


class Writer:
    """One text subtitle stream of the source written into ``out``: its packets copied when the output
    holds its codec (timed text into MP4), else each cue decoded and encoded again (SubRip into MP4)."""

    def __init__(self, out: Any, source: Any, codec: str) -> None:
        self.copy = source.codec_context.name == codec
        if self.copy:
            self.stream = out.add_stream_from_template(source)
            return
        context = source.codec_context
        context.open(strict=False)  # the decoder's ASS header (its styles) is known once it is open
        self.stream = out.add_stream(codec)
        self.stream.codec_context.subtitle_header = context.subtitle_header
        self.stream.codec_context.time_base = source.time_base

    def write(self, out: Any, packet: Any) -> None:
        from av.subtitles.subtitle import AssSubtitle, SubtitleSet

        if packet.pts is None:
            return
        if packet.pts < 0:
            # A cue from before the picture's first frame (moved back with it, see ``mux._shifted``):
            # what is left of it shows from 0. Written before 0, WebM's muxer moved every stream
            # later to make room, and the picture began half a second into the file.
            end = packet.pts + (packet.duration or 0)
            if end <= 0:
                return
            packet.pts, packet.dts, packet.duration = 0, 0, end
        if self.copy:
            packet.stream = self.stream
            out.mux(packet)
            return
        lines = [cue for cue in packet.decode() if isinstance(cue, AssSubtitle)]
        if not lines:
            return
        # One cue a packet: a cue of several lines (several rects) is one event, its lines joined.
        event = (
            lines[0].ass
            if len(lines) == 1
            else b"0,0,Default,,0,0,0,," + b"\\N".join(ass_text(c.ass) for c in lines)
        )
        duration = packet.duration or 0
        made = self.stream.codec_context.encode_subtitle(SubtitleSet.create(event, 0, duration, packet.pts))
        made.stream, made.time_base = self.stream, packet.time_base
        made.pts = made.dts = packet.pts
        made.duration = duration
        out.mux(made)
