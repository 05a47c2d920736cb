"""Reads an avatar's voice track: decoded to mono float32 at a chosen rate, and checked before any work starts."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from reelgen.core.cut_short import Tally
from reelgen.core.errors import InvalidRequest
from reelgen.core.types import Audio

#: A track whose loudest 20 ms stays below this (dB full scale) is silence, not a voice.
SILENCE_DBFS = -50.0
#: Default longest voice track, in seconds; ``REELGEN_AVATAR_MAX_SECONDS`` moves it.
DEFAULT_MAX_SECONDS = 300.0
#: Shortest voice track, in seconds: a syllable's length (Piper says "I" in 0.33 s), six frames at 25 fps.
#: A 0.01 s click made a one-frame "talking" video whose mouth could not move.
MIN_SECONDS = 0.25


def max_seconds() -> float:
    """The longest voice track an avatar takes (``REELGEN_AVATAR_MAX_SECONDS``, default 300)."""
    raw = os.environ.get("REELGEN_AVATAR_MAX_SECONDS")
    if not raw:
        return DEFAULT_MAX_SECONDS
    try:
        value = float(raw)
    except ValueError:
        raise InvalidRequest(
            f"REELGEN_AVATAR_MAX_SECONDS={raw!r} is not a number of seconds, e.g. 300",
            param="speech_audio",
        ) from None
    if not math.isfinite(value) or value <= 0:  # NaN compares false with any length: it would be no limit
        raise InvalidRequest(
            f"REELGEN_AVATAR_MAX_SECONDS must be a number of seconds above 0, not {raw}", param="speech_audio"
        )
    if value < MIN_SECONDS:  # every voice refused, each told to be split into pieces refused as too short
        raise InvalidRequest(
            f"REELGEN_AVATAR_MAX_SECONDS={raw} is below the shortest voice an avatar takes ({MIN_SECONDS:g} s, "
            f"a syllable), so no voice could pass; give at least {MIN_SECONDS:g}",
            param="speech_audio",
        )
    return value


def read_voice(
    path: str | Path,
    rate: int | None = None,
    param: str = "speech_audio",
    stereo: bool = False,
    limit_s: float | None = None,
) -> Audio:
    """The first audio stream of ``path`` as mono float32 (at ``rate`` if given); any format FFmpeg reads.

    ``stereo``: a track of two or more channels comes back as two (the soundtrack
    keeps the recording's stereo; the models and the checks hear it as mono).
    Raises ``InvalidRequest`` naming ``param`` for a file that is not audio or holds no samples.
    ``limit_s``: a track longer than this is refused by its header's length before any sample is
    decoded, else as soon as the decoded samples pass it (a 2-hour file was decoded whole, gigabytes
    of samples, to be told it was too long).
    """
    import av

    from reelgen.core.speech.wav_cut import flac_promise, mp3_frames, refuse_cut_short, refuse_flac_short

    source = Path(path)
    promise = None  # a FLAC's exact length, checked against what decodes
    tagged = None  # the frames an MP3's Xing/Info tag lists
    if source.is_file():  # a WAV or FLAC cut short was read for what it holds, without a word
        with source.open("rb") as file:
            refuse_cut_short(file, source.stat().st_size, param, str(path))
            promise, tagged = flac_promise(file), mp3_frames(file)
    chunks: list[np.ndarray] = []
    native = 0  # samples decoded, per channel, at the file's own rate
    stated = None  # an MP4/M4A track's listed packets, seconds and rate
    tally = Tally(-1)  # every stream's packets, as read: where the data stops, the voice's count
    declared, native_rate = 0.0, 0
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise InvalidRequest(
                    f"{param}: {path} has no audio stream; give a WAV, MP3, FLAC, OGG or M4A file",
                    param=param,
                )
            stream = container.streams.audio[0]
            out_rate = rate or stream.codec_context.sample_rate
            native_rate = int(stream.codec_context.sample_rate or out_rate)
            two = stereo and stream.codec_context.layout.nb_channels > 1
            declared = float(container.duration / av.time_base) if container.duration else 0.0
            stated = stated_length(container, stream)
            if container.format.name != "mp3":
                tagged = None  # the bytes looked like an MP3's tag, but FFmpeg read another format
            if limit_s is not None and declared > limit_s:
                raise too_long(param, declared, limit_s)
            resampler = av.AudioResampler(format="fltp", layout="stereo" if two else "mono", rate=out_rate)
            decoded, most = 0, None if limit_s is None else (limit_s + 1) * out_rate
            tally = Tally(stream.index)
            # Every stream's packets are read (the demuxer reads them anyway) and counted, so a file cut
            # short is told from a whole one in this one pass: it was read a second time to ask.
            packets = tally.counted(container.demux())
            try:
                for packet in packets:
                    for frame in packet.decode() if packet.stream.index == stream.index else ():
                        native += frame.samples
                        for piece in resampler.resample(frame):
                            chunks.append(piece.to_ndarray())
                            decoded += chunks[-1].shape[-1]
                        if most is not None and decoded > most:  # the header said less (or nothing)
                            raise too_long(param, None, limit_s or 0.0)
            except av.error.FFmpegError:
                if (stated and stated[0]) or tagged:
                    tally.drain(packets)  # the packets after the one that failed count for where it stops
                raise
            chunks.extend(f.to_ndarray() for f in resampler.resample(None))
    except (av.error.FFmpegError, UnicodeDecodeError) as exc:
        refuse_flac_short(promise, native, param, str(path))  # it stopped inside a frame
        refuse_mp4_short(path, stated, native, param, tally=tally)
        _refuse_mp3_short(source, tagged, tally, (declared, native / max(1, native_rate)), param)
        # FFmpeg's reason in words, without its errno and the file name said already. An empty file
        # (an upload or copy that never started) was "Invalid data found", as if its content were bad.
        empty = Path(path).is_file() and Path(path).stat().st_size == 0
        reason = "the file is empty" if empty else getattr(exc, "strerror", None) or str(exc)
        raise InvalidRequest(
            f"{param}: {path} is not a readable audio file ({reason}); give a WAV, MP3, FLAC, OGG or M4A file",
            param=param,
        ) from None
    refuse_flac_short(promise, native, param, str(path))
    refuse_mp4_short(path, stated, native, param, tally=tally)
    _refuse_mp3_short(source, tagged, tally, (declared, native / max(1, native_rate)), param)
    samples = np.concatenate(chunks, axis=1).astype(np.float32) if chunks else np.zeros((1, 0), np.float32)
    if samples.size == 0:
        raise InvalidRequest(f"{param}: {path} holds no audio samples", param=param)
    return Audio(samples, int(out_rate))


def _refuse_mp3_short(
    source: Path, tagged: int | None, tally: Tally, seconds: tuple[float, float], param: str
) -> None:
    """Refuse an MP3 whose Xing/Info tag lists more frames than the file held (see ``refuse_mp3_short``)."""
    from reelgen.core.speech.wav_cut import refuse_mp3_short

    if tagged is not None:
        stops = tally.broken or tally.end >= source.stat().st_size
        refuse_mp3_short(tagged, tally.count, stops, seconds, param, str(source))


def stated_length(container: Any, stream: Any) -> tuple[int, float, int]:
    """An MP4/M4A/MOV track's packets as its header lists them, their seconds, and the sample rate
    (0 packets for other containers: their lengths are estimates, an MP3's above all)."""
    if not {"mov", "mp4", "m4a"} & set(container.format.name.split(",")) or not stream.frames:
        return 0, 0.0, 0
    seconds = float(stream.duration * stream.time_base) if stream.duration and stream.time_base else 0.0
    return int(stream.frames), seconds, int(stream.codec_context.sample_rate or 0)


def refuse_mp4_short(
    path: str | Path | BinaryIO,
    stated: tuple[int, float, int] | None,
    native: int,
    param: str,
    shown: str | None = None,
    tally: Tally | None = None,
) -> None:
    """Refuse an M4A whose data stops inside a packet before the packets its header lists: FFmpeg read
    the part there was (a faststart file cut between packets), or called it unreadable. ``shown``
    names it (the path by default; an upload in memory has none). ``tally``: the packets the decode
    read, when it counted them; else the file's packets are read again here."""
    from reelgen.core.cut_short import stops_short
    from reelgen.core.speech.wav_cut import said_cut_short

    if stated is None or not stated[0] or not stated[2]:
        return
    if tally is not None:
        short = tally.short_of(stated[0], _size(path))
    else:
        short = stops_short(path, stated[0], "audio")
    if not short:
        return
    said = str(path) if shown is None else shown
    raise said_cut_short(param, said, stated[1], min(native / stated[2], stated[1]))


def _size(path: str | Path | BinaryIO) -> int:
    if isinstance(path, str | Path):
        return os.path.getsize(path)
    at = path.tell()
    size = path.seek(0, os.SEEK_END)
    path.seek(at)
    return size


def too_long(param: str, seconds: float | None, limit: float) -> InvalidRequest:
    """The refusal of a voice track over ``limit`` seconds (``seconds`` None: known only to be longer)."""
    said = f"{seconds:.1f} s long" if seconds is not None else f"longer than {limit:g} s"
    return InvalidRequest(
        f"{param}: the voice track is {said}; the limit is {limit:g} s "
        "(split it, or raise REELGEN_AVATAR_MAX_SECONDS / --max-seconds)",
        param=param,
    )


def loudest_dbfs(audio: Audio, window_s: float = 0.02) -> float:
    """The level of the loudest ``window_s`` stretch, in dB full scale (-inf for digital silence)."""
    mono = audio.samples.mean(axis=0)
    size = max(1, int(audio.sample_rate * window_s))
    usable = mono[: len(mono) // size * size].reshape(-1, size) if len(mono) >= size else mono[None]
    rms = float(np.sqrt((usable.astype(np.float64) ** 2).mean(axis=1)).max())
    return 20 * np.log10(rms) if rms > 0 else float("-inf")


def check_voice(audio: Audio, param: str = "speech_audio", limit_s: float | None = None) -> None:
    """Refuse a silent track, one shorter than a syllable and one longer than the configured limit."""
    limit = max_seconds() if limit_s is None else limit_s
    if audio.seconds > limit:
        raise too_long(param, audio.seconds, limit)
    if audio.seconds < MIN_SECONDS:
        raise InvalidRequest(
            f"{param}: the voice track is {audio.seconds:.3g} s long; an avatar needs at least "
            f"{MIN_SECONDS:g} s of speech (a syllable) to move its mouth",
            param=param,
        )
    if not np.isfinite(audio.samples).all():
        # A float WAV can hold them (a broken export). NaN was called "silent (digital silence)";
        # infinity passed and became the soundtrack, clipped, with the mouth driven by it.
        raise InvalidRequest(
            f"{param}: the voice track holds samples that are no numbers (NaN or infinity, as a broken "
            "float WAV export leaves); export the voice again, for example as a 16-bit WAV",
            param=param,
        )
    level = loudest_dbfs(audio)
    if level < SILENCE_DBFS:
        shown = "digital silence" if level == float("-inf") else f"{level:.0f} dBFS at its loudest"
        raise InvalidRequest(
            f"{param}: the voice track is silent ({shown}); an avatar needs speech louder than "
            f"{SILENCE_DBFS:.0f} dBFS",
            param=param,
        )


def frame_envelope(audio: Audio, fps: float, num_frames: int) -> np.ndarray:
    """RMS loudness of the voice around each video frame (a 1/fps window centred on it), shape (frames,)."""
    mono = audio.samples.mean(axis=0).astype(np.float64)
    half = audio.sample_rate / fps / 2
    out = np.zeros(num_frames, np.float32)
    for i in range(num_frames):
        centre = (i + 0.5) * audio.sample_rate / fps
        piece = mono[max(0, int(centre - half)) : int(centre + half)]
        out[i] = float(np.sqrt((piece**2).mean())) if piece.size else 0.0
    return out


def write_wav(path: Path, audio: Audio) -> Path:
    """Write 16-bit PCM WAV atomically (speech made from text is kept as an input file)."""
    import wave

    from reelgen.core.atomic import staged

    pcm = (np.clip(audio.samples.mean(axis=0), -1, 1) * 32767).round().astype("<i2")
    with staged(path) as (tmp,), wave.open(str(tmp), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(audio.sample_rate)
        wav.writeframes(pcm.tobytes())
    return path
