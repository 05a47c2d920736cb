"""The enhanced picture put into the output file with the record and what the source had besides its picture.

That is every audio stream, its packets copied (re-encoded only when the
container cannot hold its codec) and kept in step with the picture, every text
subtitle stream (likewise), and the display matrix a phone writes for a clip
shot upright, so players turn the enhanced clip as they turned the source.
"""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from reelgen.core.atomic import new_file_beside
from reelgen.core.encode import CONTAINERS, METADATA_KEY, SOUND_CONTAINERS
from reelgen.core.enhance.clock import EDIT_LISTS, muxer_options, say_rate
from reelgen.core.enhance.subtitles import Track, Writer, tracks
from reelgen.core.errors import InvalidRequest
from reelgen.core.gif import is_gif, with_comment
from reelgen.core.picture_stream import cover_words, covers, picture_stream

#: How the audio got into the output: its packets copied, or decoded and encoded again; or that it did
#: not, the output being a GIF.
COPIED, REENCODED, LEFT_OUT = "copied", "re-encoded", "left out"


@dataclass(frozen=True)
class Extras:
    """What of the source goes into the output besides the enhanced picture."""

    path: Path
    #: The codec of each audio stream, in order.
    audio_codecs: tuple[str, ...]
    #: The first frame's time in seconds: the picture is written from 0, so the sound moves by as much.
    start: Fraction
    #: FFmpeg's display matrix (9 integers) when the frames are stored turned or mirrored, else None.
    matrix: tuple[int, ...] | None
    #: Degrees counter-clockwise a player turns the stored frames by (0, 90, 180 or 270).
    rotation: int
    #: The subtitle streams, in order: the text ones are carried, those drawn as pictures are not.
    subtitles: tuple[Track, ...] = ()
    #: How many times as wide as high a stored pixel is shown (DV's 8:9, HDV's 4:3), where not 1.
    aspect: Fraction | None = None
    #: FFmpeg's numbers for the primaries and transfer the source says its colours are in, if it says.
    colour: tuple[int, int] | None = None
    #: The source's cover art in words ("cover art (a JPEG picture)"), which is not carried; None where none.
    cover: str | None = None

    def upright(self, frame: np.ndarray) -> np.ndarray:
        """``frame`` as a player shows it (a still of the clip, a thumbnail): turned by ``rotation``."""
        return upright(frame, self.rotation)


def cover_note(extras: Extras, shown: str, output: Path) -> list[str]:
    """The warning that the source's cover art is not in ``output`` (none where it has none): it was
    left out without a word, though a player showed it as the file's poster."""
    if extras.cover is None:
        return []
    kept = "a GIF holds its picture only" if is_gif(output) else "its picture, sound and text subtitles are"
    return [f"warning: the {extras.cover} of {shown} is not carried into {output.name}: {kept}"]


def upright(frame: np.ndarray, rotation: int) -> np.ndarray:
    """``frame`` as a player shows it, turned ``rotation`` degrees counter-clockwise (``turn``)."""
    return np.ascontiguousarray(np.rot90(frame, k=rotation // 90)) if rotation else frame


def turn(frame: Any) -> int:
    """How far a player turns a decoded ``frame`` (degrees counter-clockwise: 0, 90, 180 or 270).

    A phone stores a portrait clip as landscape pixels with a display matrix that turns it upright.
    The nearest quarter turn: the frames are turned in quarters (``upright``) and the shown size
    swaps its sides only for an odd one.
    """
    return round(frame.rotation / 90) % 4 * 90 if _matrix(frame) is not None else 0


def display_rotation(path: str | Path) -> int:
    """``turn`` of the first frame of the video at ``path``; 0 where there is none to read (the
    readers after this one say what is wrong)."""
    import av

    try:
        with av.open(str(path)) as container:
            stream = picture_stream(container)
            frame = next(container.decode(stream), None) if stream is not None else None
            return turn(frame) if frame is not None else 0
    except (av.error.FFmpegError, OSError, ValueError, IndexError):
        return 0


def read_extras(path: Path) -> Extras:
    """The audio streams, the first frame's time and the display matrix of the video at ``path``."""
    import av

    with av.open(str(path)) as container:
        video = picture_stream(container) or container.streams.video[0]
        frame = next(container.decode(video), None)
        base = Fraction(video.time_base or 1)
        start = Fraction(frame.pts) * base if frame is not None and frame.pts is not None else Fraction(0)
        rotation = turn(frame) if frame is not None else 0
        codecs = tuple(stream.codec_context.name for stream in container.streams.audio)
        said = tracks(container), pixel_aspect(video), colour(frame)
        art = cover_words(container) if covers(container) else None
        return Extras(path, codecs, start, _matrix(frame), rotation, *said, cover=art)


#: FFmpeg's "unspecified" (2) and "reserved" (0, 3) primaries and transfers: nothing said.
_UNSAID = (0, 2, 3)


def colour(frame: Any) -> tuple[int, int] | None:
    """The primaries and transfer a decoded ``frame`` says its colours are in, None where it says neither.

    Its RGB is the source's own (the decoder's matrix undone, not its transfer nor primaries): an
    HLG phone clip written as BT.601 showed its values as SDR, pale and flat.
    """
    if frame is None or (frame.color_primaries in _UNSAID and frame.color_trc in _UNSAID):
        return None
    return int(frame.color_primaries), int(frame.color_trc)


def pixel_aspect(stream: Any) -> Fraction | None:
    """The sample aspect ratio of a video ``stream`` (container's, else the codec's), None where square
    or unknown: written as square, a DV or HDV clip's picture was shown squeezed or stretched."""
    for said in (stream.sample_aspect_ratio, stream.codec_context.sample_aspect_ratio):
        if said:  # FFmpeg says 0/1 for unknown
            ratio = Fraction(said)
            return None if ratio == 1 else ratio
    return None


def _matrix(frame: Any) -> tuple[int, ...] | None:
    if frame is None:
        return None
    from av.sidedata.sidedata import Type

    # Looked up by its type: PyAV 18 iterates a frame's side data as its types, where 14-17 gave the data.
    data = frame.side_data.get(Type.DISPLAYMATRIX)
    if data is None:
        return None
    matrix = tuple(int(v) for v in np.frombuffer(memoryview(data), dtype=np.int32))
    # The identity (0x10000 on the diagonal, 1 << 30 in the corner) shows the frame as stored.
    return None if matrix == (65536, 0, 0, 0, 65536, 0, 0, 0, 1 << 30) else matrix


def finish(silent: Path, extras: Extras, output: Path, record: dict[str, Any]) -> str | None:
    """Write ``output``: the picture of ``silent``, the record and the source's extras; how the audio got
    there: 'copied', 're-encoded' (the container cannot hold a codec of it), 'left out' (a GIF holds no
    sound; ``enhance_file`` said so) or None (there is none)."""
    import av

    if is_gif(output):
        return _gif(silent, extras, output, record)
    if not extras.audio_codecs:
        record["audio"] = None  # the record is written into the file: what it says is set first
        _mux(silent, extras, output, record, None)
        return None
    record["audio"] = COPIED
    try:
        _mux(silent, extras, output, record, COPIED)
        return COPIED
    except (av.error.FFmpegError, ValueError) as exc:
        _raise_if_disk(exc)
        # the muxer refused a codec: every stream is encoded again in the container's own
    record["audio"] = REENCODED
    try:
        _mux(silent, extras, output, record, REENCODED)
    except (av.error.FFmpegError, ValueError) as exc:
        _raise_if_disk(exc)
        codec = CONTAINERS[output.suffix.lower()][2]
        raise InvalidRequest(
            f"the sound of {extras.path.name} ({', '.join(extras.audio_codecs)}) could not be copied into "
            f"{output.name} nor encoded again as {codec} ({exc}); try another container: "
            f"{', '.join(s for s in SOUND_CONTAINERS if s != output.suffix.lower())}",
            param="output",
        ) from None
    return REENCODED


#: What FFmpeg says when the file could not be written, whatever it holds: no container has more room.
_DISK = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS)


def _raise_if_disk(exc: Exception) -> None:
    """Raise ``exc`` again where the disk refused the write (the caller says so of the output).

    A disk that filled while the sound was copied was taken for a codec the container refused: the
    sound was encoded again, the disk still full, and the run said the sound "could not be copied
    into out.mp4 nor encoded again as aac ...; try another container".
    """
    if isinstance(exc, OSError) and exc.errno in _DISK:
        raise exc


def _gif(silent: Path, extras: Extras, output: Path, record: dict[str, Any]) -> str | None:
    """The GIF ``silent`` as ``output`` with the record in it: a GIF holds no sound, subtitles nor turn."""
    record["audio"] = LEFT_OUT if extras.audio_codecs else None
    part = new_file_beside(output)
    try:
        with_comment(silent, part, json.dumps(record, sort_keys=True, default=str))
        os.replace(part, output)
    finally:
        part.unlink(missing_ok=True)
    return record["audio"]


def _mux(silent: Path, extras: Extras, output: Path, record: dict[str, Any], audio: str | None) -> None:
    import av

    part = new_file_beside(output)
    suffix = output.suffix.lower()
    _, _, codec, options = CONTAINERS[suffix]
    try:
        with (
            av.open(str(silent)) as vin,
            av.open(str(extras.path)) as source,
            av.open(str(part), "w", options=muxer_options(suffix, options, vin)) as out,
        ):
            out.metadata[METADATA_KEY] = json.dumps(record, sort_keys=True, default=str)
            vstream = out.add_stream_from_template(vin.streams.video[0])
            say_rate(vstream, record)
            if extras.matrix is not None:
                vstream.set_display_matrix(list(extras.matrix))
            sounds = list(source.streams.audio) if audio is not None else []
            made = {
                s.index: _tagged(
                    out.add_stream_from_template(s) if audio == COPIED else _encoder(out, s, codec), s
                )
                for s in sounds
            }
            texts = [
                (s, track.written_as(suffix))
                for s, track in zip(source.streams.subtitles, extras.subtitles, strict=True)
                if track.written_as(suffix)
            ]
            writers = {s.index: Writer(out, s, str(written)) for s, written in texts}
            for s, _ in texts:
                _tagged(writers[s.index].stream, s)
            _copy_video(vin, vstream, out)
            wanted = [*sounds, *(s for s, _ in texts)]
            packets = _shifted(source.demux(*wanted), extras.start) if wanted else iter(())
            if audio == COPIED:
                packets = _from_picture(packets, preroll=suffix in EDIT_LISTS)
            for packet in packets:
                if packet.stream.index in writers:
                    writers[packet.stream.index].write(out, packet)
                elif audio == COPIED:
                    packet.stream = made[packet.stream.index]
                    out.mux(packet)
                else:
                    _encode(out, made[packet.stream.index], packet.decode())
            if audio == REENCODED:
                for target in made.values():
                    out.mux(target.encode(None))
        os.replace(part, output)
    finally:
        part.unlink(missing_ok=True)


def _copy_video(source: Any, stream: Any, out: Any) -> None:
    for packet in source.demux(source.streams.video[0]):
        # Skip the demuxer's empty packet at the end; Matroska gives H.264's packets no dts, only pts.
        if packet.size:
            packet.stream = stream
            out.mux(packet)


def _shifted(packets: Iterator[Any], start: Fraction) -> Iterator[Any]:
    """The audio and subtitle packets moved back by ``start`` seconds, where the picture now begins at 0.

    A camcorder's .MTS or a cut from a longer recording starts its clock at some
    time; copied as they were, the packets kept that time while the picture started
    at 0, and the sound came that much late (ten seconds for a clock at ten).
    """
    shifts: dict[int, int] = {}
    for packet in packets:
        if packet.dts is None:
            continue  # the demuxer's empty packet at the end of each stream
        if packet.stream.index not in shifts:
            shifts[packet.stream.index] = round(start / Fraction(packet.time_base))
        shift = shifts[packet.stream.index]
        packet.dts -= shift
        if packet.pts is not None:
            packet.pts -= shift
        yield packet


def _from_picture(packets: Iterator[Any], preroll: bool) -> Iterator[Any]:
    """The packets, less the sound from before the picture's first frame (time 0 once ``_shifted``).

    A source whose sound starts before its picture (a recorder that starts the microphone first)
    made a WebM whose picture started half a second in, after the sound alone, while an MP4 started
    with the picture: Matroska has no edit list, so its muxer moved the whole file later to keep
    the early sound. In every container the output now starts with the picture and the sound heard
    with it. MP4 and MOV keep one packet before the first one heard (the decoder's pre-roll, which
    the edit list hides). Matroska (MKV, WebM) takes a packet that starts before 0 only within the
    codec's own delay (AAC's or Opus's priming, which the decoder drops); so there the sound may
    begin up to one packet (some 20 ms) after the picture, still in step with it.
    """
    held: dict[int, Any] = {}  # per audio stream, the packet just before the first one heard
    heard: set[int] = set()
    for packet in packets:
        index = packet.stream.index
        if packet.stream.type != "audio" or index in heard:
            yield packet
            continue
        begins = packet.pts if packet.pts is not None else packet.dts
        if preroll:
            if begins + (packet.duration or 0) <= 0:
                held[index] = packet
                continue
            if index in held:
                yield held.pop(index)
        elif begins < -_delay(packet):
            continue
        heard.add(index)
        yield packet


def _delay(packet: Any) -> int:
    """The priming samples of ``packet``'s codec, in its stream's time base (what Matroska may start before 0)."""
    context = packet.stream.codec_context
    if not context.delay or not context.sample_rate:
        return 0
    return int(Fraction(context.delay, context.sample_rate) / Fraction(packet.time_base))


def _from_zero(frame: Any) -> Any | None:
    """A decoded audio ``frame`` less its samples before time 0 (see ``_from_picture``); None if all are."""
    import av

    if frame.pts is None or frame.pts >= 0:
        return frame
    cut = round(-Fraction(frame.pts) * Fraction(frame.time_base) * frame.sample_rate)
    if cut >= frame.samples:
        return None
    samples = frame.to_ndarray()
    # Planar: a row per channel; packed: one row, the channels interleaved.
    step = 1 if frame.format.is_planar else frame.layout.nb_channels
    kept = av.AudioFrame.from_ndarray(
        np.ascontiguousarray(samples[:, cut * step :]), format=frame.format.name, layout=frame.layout
    )
    kept.sample_rate, kept.time_base, kept.pts = frame.sample_rate, frame.time_base, 0
    return kept


def _encoder(out: Any, source: Any, codec: str) -> Any:
    """A stream of the container's own audio ``codec`` for ``source``: its channels, at its rate where the codec can."""
    context = source.codec_context
    rate = 48000 if codec == "libopus" else context.sample_rate  # Opus runs at 48 kHz
    return out.add_stream(codec, rate=rate, layout=_layout(context.layout, codec))


#: The layout each channel count is written in where the source's cannot be: Vorbis's order, the one
#: Opus takes. An AVI's PCM says only "2 channels", which no encoder opens; nor does Opus 5.1(side).
_BY_COUNT = {1: "mono", 2: "stereo", 3: "3.0", 4: "quad", 5: "5.0", 6: "5.1", 7: "6.1", 8: "7.1"}


def _layout(layout: Any, codec: str) -> str:
    named = not layout.name.endswith("channels")
    if codec != "libopus" and named:
        return str(layout.name)
    return _BY_COUNT.get(layout.nb_channels, "stereo")  # more than 8 channels: a stereo mix


def _tagged(stream: Any, source: Any) -> Any:
    """``stream`` with ``source``'s language and title (a second language's track says which it is)."""
    for key in ("language", "title"):
        if source.metadata.get(key):
            stream.metadata[key] = source.metadata[key]
    return stream


def _encode(out: Any, stream: Any, frames: list[Any]) -> None:
    # PyAV converts each frame to the encoder's sample format, layout and rate, and cuts it to the
    # encoder's frame size; the packets' times come from the frames'.
    for frame in frames:
        kept = _from_zero(frame)
        if kept is not None:
            out.mux(stream.encode(kept))
