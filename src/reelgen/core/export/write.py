"""export(segments, settings, output): rendered clips and title cards become one file, all or nothing."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import tempfile
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from reelgen import __version__
from reelgen.core.atomic import check_writable, staged
from reelgen.core.encode import METADATA_KEY, check_record_free, dump_json
from reelgen.core.encoder_memory import encoder_out_of_memory, encoder_short
from reelgen.core.errors import Cancelled, GenerationFailed, InvalidRequest, OutOfMemory
from reelgen.core.export import codecs, text
from reelgen.core.export.animated import GIF_ENCODER, gif_notes, gif_record, write_gif
from reelgen.core.export.end_padding import mark_end_padding
from reelgen.core.export.graph import Pictures, audio_graph, frames_of, video_graph
from reelgen.core.export.lut import check_lut
from reelgen.core.export.music import check_soundtrack
from reelgen.core.export.music import not_a_file as not_a_file  # read from here by the project layer
from reelgen.core.export.output_checks import check_not_an_input, check_output
from reelgen.core.export.settings import (
    IN_FILE,
    MAX_FPS,
    Container,
    ExportSettings,
    SettingNames,
    Soundtrack,
)
from reelgen.core.export.timeline import ClipInfo, Layout, Segment, check_texts, clip_info, layout
from reelgen.core.gif import is_gif
from reelgen.core.output_notes import before_writing
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.record import RECORD_FORMAT
from reelgen.core.types import to_fraction

#: Output size and rate of a timeline made only of title cards.
CARD_ONLY_SHAPE = (1280, 720, Fraction(24))


@dataclass(frozen=True)
class ExportResult:
    """The exported file, its sidecar, and what it holds."""

    path: Path
    sidecar: Path
    frames: int
    fps: Fraction
    width: int
    height: int
    audio: bool
    record: dict[str, Any]

    @property
    def seconds(self) -> float:
        return float(self.frames / self.fps)


def _shape(infos: list[ClipInfo | None], settings: ExportSettings) -> tuple[int, int, Fraction]:
    """Output width, height and rate: as set, else the first clip's (sides made even).

    One side given alone takes the other from the first clip's shape (as FFmpeg's ``scale=W:-2``):
    ``--width 256`` of a 128x128 film is 256x256, not 256x128 with most of the frame black bars.
    """
    first = next((info for info in infos if info is not None), None)
    base = (first.width, first.height, first.fps) if first is not None else CARD_ONLY_SHAPE
    width, height = settings.width, settings.height
    if width and not height:
        height = max(2, round(width * base[1] / base[0] / 2) * 2)
    elif height and not width:
        width = max(2, round(height * base[0] / base[1] / 2) * 2)
    width = width or base[0] + base[0] % 2
    height = height or base[1] + base[1] % 2
    fps = to_fraction(settings.fps) if settings.fps else base[2]
    return width, height, fps


def _pictures(
    segments: list[Segment], settings: ExportSettings, size: tuple[int, int], folder: Path
) -> Pictures:
    """Title cards, text layers and the watermark drawn to PNGs in ``folder``."""
    width, height = size
    cards: dict[int, Path] = {}
    for i, seg in enumerate(segments):
        if seg.card is not None:
            cards[i] = folder / f"card-{i}.png"
            text.title_card(seg.card, width, height, f"{seg.param}.title_card").save(cards[i])
    texts = []
    for i, overlay in enumerate(settings.texts):
        drawn = text.text_layer(overlay, width, height, f"export.texts[{i}]")
        if (layer := text.cropped(drawn, folder / f"text-{i}.png")) is not None:
            texts.append((layer, overlay.start, overlay.end))
    mark = None
    if settings.watermark is not None:
        drawn = text.watermark_layer(settings.watermark, width, height, "export.watermark")
        mark = text.cropped(drawn, folder / "watermark.png")
    return Pictures(cards, texts, mark)


def _encode(
    container: Any, video: Any, vsink: Any, audio: Any, asink: Any, lay: Layout, progress: Progress
) -> int:
    """Pull both graphs in time order (so the muxer interleaves), encode, mux; returns frames written."""
    from av.video.frame import PictureType

    tracker = progress.stage("export", lay.total)
    pictures, sounds = frames_of(vsink), frames_of(asink) if asink is not None else iter(())
    picture: Any = next(pictures, None)
    sound: Any = next(sounds, None)
    written, samples, step = 0, 0, Fraction(1) / lay.fps
    steady = codecs.SteadyDts(lay.fps)
    while picture is not None or sound is not None:
        if sound is None or (picture is not None and written * step <= Fraction(samples, codecs.SAMPLE_RATE)):
            picture.pts, picture.time_base = written, step
            picture.pict_type = PictureType.NONE  # the encoder chooses frame types
            for packet in video.encode(picture):
                container.mux(steady(packet))
            written += 1
            tracker.advance(written)
            picture = next(pictures, None)
        else:
            # Stamped by the samples before it, so the muxer sees one unbroken clock.
            sound.pts, sound.time_base = samples, Fraction(1, codecs.SAMPLE_RATE)
            samples += sound.samples
            for packet in audio.encode(sound):
                container.mux(packet)
            sound = next(sounds, None)
    for stream in (video, audio):
        if stream is not None:
            last = stream.encode(None)
            if stream is audio and last:  # its silence past the sound marked, for Matroska to drop it
                mark_end_padding(last[-1], audio.codec_context.frame_size, codecs.SAMPLE_RATE)
            for packet in last:
                container.mux(steady(packet) if stream is video else packet)
    return written


@dataclass(frozen=True)
class _Job:
    """One export, checked and laid out: what ``_write`` encodes and ``_record`` describes."""

    segments: list[Segment]
    settings: ExportSettings
    soundtrack: Soundtrack | None
    encoder: codecs.Encoder
    lut: Path | None
    has_audio: list[bool]
    size: tuple[int, int]
    lay: Layout
    title: str


def _check_frames(segments: list[Segment], fps: Fraction, names: SettingNames) -> None:
    """Refuse a scene or transition shorter than one frame at the film's rate: made one frame, or
    none, the film (and its sound) would not last as asked, and nothing would say so."""
    for seg in segments:
        # Named as the user wrote it ("it (1s) is shorter" named nothing): a title card or a clip.
        lengths = [("its title card" if seg.card is not None else "its clip", seg.seconds)]
        if seg.transition.overlap:
            lengths.append((f"its {seg.transition.type.value} transition", seg.transition.overlap))
        for what, seconds in lengths:
            if round(seconds * fps) >= 1:
                continue
            if seconds <= 0:
                raise InvalidRequest(f"{seg.label}: it lasts no time ({seconds:g}s)", param=seg.param)
            said = f"{seg.label}: {what} lasts {seconds:g}s, shorter than one frame at the film's {float(fps):g} fps"
            if 1 / seconds <= MAX_FPS:
                raise InvalidRequest(
                    f"{said} ({names('fps')}); give a rate of at least {1 / seconds:.3g} fps or lengthen it",
                    param=names("fps"),
                )
            # No rate the export takes shows it (0.001 s asked for "at least 1e+03 fps"): only its length can.
            field = "transition.duration" if what.endswith("transition") else "duration"
            raise InvalidRequest(
                f"{said}, and no rate an export takes (up to {MAX_FPS} fps) gives it one; make its {field} "
                f"at least {float(1 / fps):.3g}s"
                + (", or the transition a cut" if field != "duration" else ""),
                param=f"{seg.param}.{field}",
            )


def _at_rate(segments: list[Segment], settings: ExportSettings, fps: Fraction, names: SettingNames) -> Layout:
    """The timeline at ``fps``: every scene, transition and text checked to show at that rate."""
    _check_frames(segments, fps, names)
    lay = layout(segments, fps)
    check_texts(settings.texts, lay)
    return lay


def check_timeline(segments: list[Segment], settings: ExportSettings, names: SettingNames) -> Layout:
    """What the export checks of its timeline at the film's rate, from the clips' headers (nothing decoded):
    a server says it before queuing an export, as ``reelgen project export`` says it before any work."""
    infos = [clip_info(s) if s.clip is not None else None for s in segments]
    return _at_rate(segments, settings, _shape(infos, settings)[2], names)


def _prepare(
    segments: list[Segment],
    settings: ExportSettings,
    output: Path,
    soundtrack: Soundtrack | None,
    title: str,
    names: SettingNames,
) -> _Job:
    """Steps 1-2: settings, encoder and input files checked; the output's shape and the timeline."""
    settings.check(names)
    check_output(output, settings, names)
    check_not_an_input(output, segments, settings, soundtrack, names)
    encoder = GIF_ENCODER if is_gif(output) else codecs.encoder_for(settings.video_codec, names("codec"))
    lut = check_lut(settings.lut, names("lut")) if settings.lut else None
    if soundtrack is not None:
        check_soundtrack(soundtrack)
    infos = [clip_info(s) if s.clip is not None else None for s in segments]
    has_audio = [info is not None and info.has_audio for info in infos]
    width, height, fps = _shape(infos, settings)
    codecs.check_size(encoder, settings.video_codec, (width, height), names)
    lay = _at_rate(segments, settings, fps, names)
    return _Job(segments, settings, soundtrack, encoder, lut, has_audio, (width, height), lay, title)


def _write(
    job: _Job, target: str, pictures: Pictures, progress: Progress, record: dict[str, Any]
) -> tuple[int, bool]:
    """Steps 4-5: both filter graphs built over the drawn ``pictures``, everything encoded into ``target``,
    which carries ``record`` as generated videos carry theirs (a sidecar of the same name may be replaced)."""
    import av

    settings, lay = job.settings, job.lay
    vsink = video_graph(job.segments, lay, job.size, settings.fit, pictures, job.lut, job.encoder.pix_fmt)
    if job.encoder is GIF_ENCODER:  # pictures only: the sound graph is not built
        return write_gif(Path(target), vsink, lay.fps, job.size, lay.total, record, progress), False
    acodec = codecs.audio_codec(settings.container, settings.video_codec)
    sample_fmt = (av.codec.Codec(acodec, "w").audio_formats or [av.AudioFormat("fltp")])[0].name
    asink = audio_graph(job.segments, lay, job.has_audio, job.soundtrack, sample_fmt)
    options = {"movflags": "+faststart"} if settings.container in (Container.MP4, Container.MOV) else {}
    with av.open(target, mode="w", format=codecs.FORMATS[settings.container], options=options) as container:
        if job.title:
            container.metadata["title"] = job.title
        container.metadata[METADATA_KEY] = json.dumps(record, sort_keys=True, default=str)
        video = codecs.add_video_stream(container, job.encoder, *job.size, lay.fps, settings.crf)
        audio = None
        if asink is not None:
            audio = container.add_stream(acodec, rate=codecs.SAMPLE_RATE, layout="stereo")
        try:
            written = _encode(container, video, vsink, audio, asink, lay, progress)
        except Cancelled:
            _end_quietly(video)
            raise
        except Exception as exc:
            # x264 short of memory says only "Generic error in an external library", as it opens or
            # (8192x4608 under ulimit -v) as it takes a frame.
            codec = video.codec_context.name
            if encoder_short(exc, codec, job.size, dict(video.options)) or _x264_short(exc, codec):
                raise encoder_out_of_memory(Path(target), job.size) from None
            raise
    return written, asink is not None


def _end_quietly(video: Any) -> None:
    """Tell SVT-AV1 that a cancelled film ends here, before the encoder is closed.

    Closed mid-film, libsvtav1 printed "Svt[error]: deinit called without sending EOS!" to the terminal
    beside reelgen's own "cancelled" line. Its log is set once for the whole process (SVT_LOG), so the
    end of stream is sent instead. The first step of ``encode_lazy`` sends it and waits for one packet
    only: the frames still queued are not all encoded for a film that is thrown away (44 of them took
    0.6 s at 1080p on two cores).
    """
    import av

    if video.codec_context.name != "libsvtav1":
        return
    # The cancel is said either way: an encoder that refuses the end only leaves the line as it was.
    with contextlib.suppress(av.error.FFmpegError):
        next(iter(video.encode_lazy(None)), None)


def _x264_short(exc: BaseException, codec: str) -> bool:
    """Whether ``exc`` is x264 failing to take a frame: it checked its settings and size as it opened,
    and what fails after that is its allocations (it prints "malloc of size N failed")."""
    import av

    sending = str(getattr(exc, "filename", None) or "").startswith("avcodec_send_frame")
    return codec == "libx264" and sending and isinstance(exc, av.error.ExternalError)


def _record(job: _Job, written: int, extra: dict[str, Any] | None) -> dict[str, Any]:
    """What the sidecar says: the settings, the encoder, the output, and every segment that went in."""
    return {
        "reelgen": __version__,
        "record_format": RECORD_FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "title": job.title,
        "export": {**job.settings.model_dump(mode="json"), "codec": job.settings.video_codec.value},
        "soundtrack": job.soundtrack.model_dump(mode="json") if job.soundtrack else None,
        "encoder": job.encoder.name,
        "output": {"frames": written, "fps": str(job.lay.fps), "width": job.size[0], "height": job.size[1]},
        "segments": [
            {"label": s.label, "clip": str(s.clip) if s.clip else None, "frames": n}
            for s, n in zip(job.segments, job.lay.frames, strict=True)
        ],
        **(extra or {}),
    }


def _moved(value: Any, source: Path, named: Path) -> Any:
    """``value`` with every path under ``source`` written as the same path under ``named``."""
    if isinstance(value, dict):
        return {k: _moved(v, source, named) for k, v in value.items()}
    if isinstance(value, list):
        return [_moved(v, source, named) for v in value]
    if isinstance(value, str) and Path(value).is_relative_to(source) and Path(value).is_absolute():
        return str(named / Path(value).relative_to(source))
    return value


def export(
    segments: list[Segment],
    settings: ExportSettings,
    output: str | Path,
    *,
    soundtrack: Soundtrack | None = None,
    progress: Progress | None = None,
    title: str = "",
    extra_record: dict[str, Any] | None = None,
    names: SettingNames = IN_FILE,
    recorded_root: tuple[Path, Path] | None = None,
) -> ExportResult:
    """Join ``segments`` into ``output`` as ``settings`` say; a failure leaves any earlier file untouched.

    Nothing is rendered here: segments are files already made (and title cards).
    The file is written beside ``output`` and renamed into place when complete.
    ``names`` says how the person wrote each setting (``output`` included), for messages.
    ``recorded_root`` is (the folder the files are read from, the folder the record names instead):
    a worker exports a copy of a project, and its record names the project's own files.
    """
    progress = progress or Progress()
    output = Path(output)

    # 1-2. Everything checked and laid out before any frame is decoded.
    job = _prepare(segments, settings, output, soundtrack, title, names)
    check_writable(output, names("output"))
    check_record_free(output, names("output"))

    # 3-5. Drawn, filtered and encoded into hidden files beside the output (not mkstemp: its 0600
    # would survive the rename, a film only its maker could open) ...
    record = _record(job, job.lay.total, extra_record)  # in the film too, with the frame count it must have
    sidecar = output.with_suffix(".json")
    # 6. ... that replace the earlier film and its record together, or leave both as they were.
    with staged(output, sidecar) as (film, record_file):
        with tempfile.TemporaryDirectory(prefix=".export-", dir=output.parent) as scratch:
            # 3. Title cards and texts drawn first: one that does not fit refuses the export, and a
            # warning of what the GIF leaves out came before that refusal, of a film never written.
            pictures = _pictures(job.segments, job.settings, job.size, Path(scratch))
            # Another film's record taken, a big GIF: said as ``reelgen enhance`` says them (it was silent).
            smaller = (
                f"give a smaller {names('width')} or {names('fps')}"  # enhance's "--upscale" is not here
            )
            for note in before_writing(output, job.lay.total, job.size, job.lay.fps, smaller):
                progress.emit(ProgressEvent("export", 0, 0, 0.0, message=note))
            if job.encoder is GIF_ENCODER:  # said before the encoding, as generate says it
                sound = job.soundtrack is not None or any(job.has_audio)
                record = gif_record(record, gif_notes(output, sound, job.lay.fps, progress))
            if recorded_root is not None:
                record = _moved(record, *recorded_root)
            try:
                written, sound = _write(job, str(film), pictures, progress, record)
            except (MemoryError, OSError) as exc:
                # FFmpeg's ENOMEM (8192x4608 under ulimit -v) was a raw av.error, a GIF's refused memmap
                # "internal error (OSError: [Errno 12] ...)"; a full disk (ENOSPC) is said by the caller.
                if isinstance(exc, OutOfMemory) or not (
                    isinstance(exc, MemoryError) or exc.errno == errno.ENOMEM
                ):
                    raise
                raise encoder_out_of_memory(film, job.size) from None
        if written != job.lay.total:  # a source that ended early; never a film missing part of a scene
            raise GenerationFailed(
                f"the film came out {written} frames long, not the timeline's {job.lay.total}: a clip "
                "could not be decoded to its end; nothing was written"
            )
        dump_json(record_file, record)
        progress.cancel.check()  # a Ctrl-C after the last frame was answered "cancelling": keep nothing
    width, height = job.size
    return ExportResult(output, sidecar, written, job.lay.fps, width, height, sound, record)
