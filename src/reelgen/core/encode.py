"""Writes a Video (and its audio) to MP4/MOV/MKV/WebM, or a GIF, with PyAV, atomically, with metadata in the container."""

from __future__ import annotations

import functools
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from reelgen.core.ahead import ahead
from reelgen.core.atomic import name_problem, staged
from reelgen.core.encoder_memory import encode_video
from reelgen.core.errors import InvalidRequest
from reelgen.core.gif import GIF, MUXER_OPTIONS, encode_gif
from reelgen.core.record_owner import read_record
from reelgen.core.types import Audio, Video

#: Container -> (video codec, pixel format, audio codec, muxer options). A GIF has no audio codec: it
#: holds no sound, and whoever writes one says so (``reelgen.core.gif.left_out``).
CONTAINERS: dict[str, tuple[str, str, str, dict[str, str]]] = {
    ".mp4": ("libx264", "yuv420p", "aac", {"movflags": "+faststart+use_metadata_tags"}),
    ".mov": ("libx264", "yuv420p", "aac", {"movflags": "+faststart+use_metadata_tags"}),
    # Matroska, as ComfyUI's VideoHelperSuite writes it: H.264 and AAC, the record in its COMMENT tag.
    ".mkv": ("libx264", "yuv420p", "aac", {}),
    ".webm": ("libvpx-vp9", "yuv420p", "libopus", {}),
    GIF: ("gif", "pal8", "", MUXER_OPTIONS),
}

#: The containers that hold sound, as a message offers them instead of a GIF.
SOUND_CONTAINERS = tuple(suffix for suffix, (_, _, audio, _) in CONTAINERS.items() if audio)

#: FFmpeg's numbers for SMPTE 170M (BT.601 525-line) matrix, primaries and transfer, and limited range.
BT601, LIMITED_RANGE = 6, 1

#: Container tag holding reelgen's JSON record.
METADATA_KEY = "comment"

#: x264's speed/size trade-off. At the same CRF (the same quality target) a faster preset makes a
#: somewhat larger file; "medium" took 3.7 s for a 121-frame 768x512 clip on a 16-core GPU host.
X264_PRESET = "veryfast"

#: Threads converting RGB frames to YUV ahead of the encoder, on machines of 8 cores or more.
_CONVERT_THREADS = 4

#: /proc/cpuinfo flags of a CPU x264 runs AVX-512 on (F, CD, BW, DQ, VL), with the AVX2-era
#: features ``x264_params`` then names instead (AVX2, FMA3, BMI1/2, LZCNT as "abm").
_AVX512 = frozenset({"avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"})
_AVX2 = frozenset({"avx2", "fma", "bmi1", "bmi2", "abm"})


@functools.cache
def x264_params() -> dict[str, str]:
    """libx264 options that make the same frames encode to the same bits every time on this CPU.

    On a CPU with AVX-512, x264 (core 165, in PyAV's wheels) reads memory it never
    wrote on that path, so its rate control and frame decisions followed whatever
    the heap held: the same frames made different files (a replay came out up to
    21 levels off, more so in a process that had run other work first). Its AVX2
    path (the features it picks on such a CPU but AVX-512) makes the same bits
    whatever the heap holds. Elsewhere x264 picks.
    """
    try:
        flags = next(
            set(line.split(":", 1)[1].split())
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("flags")
        )
    except (OSError, StopIteration, IndexError):
        return {}
    return {"x264-params": "asm=AVX2,SSE2Fast,Cache64"} if flags >= _AVX512 | _AVX2 else {}


def check_record_free(video: str | Path, param: str = "output") -> None:
    """Refuse, before any work, a video whose record (``NAME.json`` beside it) would replace a file of the person's own.

    A storyboard or notes called ``shot.json`` were silently lost to ``-o shot.mp4``. Any
    record reelgen wrote may be replaced: the video itself carries its record in the
    container, so ``a.webm`` replacing ``a.json`` of ``a.mp4`` loses nothing a replay needs
    (``record_owner.replaced_note`` words it for whoever writes it).
    """
    video = Path(video)
    record = video.with_suffix(".json")
    # The record's name is longer than a .mp4's by a byte: a video name of 255 bytes fit, then asking the
    # disk about its record was "File name too long", an internal error.
    too_long = name_problem(video) or name_problem(record)
    if too_long:
        raise InvalidRequest(
            f"{param} {video}: {too_long} (its record, NAME.json, goes beside it)", param=param
        )
    if record.is_dir():  # "not a record reelgen wrote; ... move that file" sent a person looking for a file
        raise InvalidRequest(
            f"{param} {video}: its record goes to {record}, which is a folder; give another name or move that folder",
            param=param,
        )
    if record.exists() and read_record(record) is None:
        raise InvalidRequest(
            f"{param} {video}: its record would replace {record}, which is not a record reelgen wrote; "
            "give another name or move that file",
            param=param,
        )


def tag_bt601(stream: Any) -> None:
    """Say in ``stream`` that its YUV is BT.601, limited range: the matrix swscale converts RGB with.

    Untagged, players assume BT.709 for HD sizes and shift every colour (a red of 200 showed
    as 213 at 720p in Chromium).
    """
    codec = stream.codec_context
    codec.colorspace = codec.color_primaries = codec.color_trc = BT601
    codec.color_range = LIMITED_RANGE


def _even(frame: np.ndarray) -> np.ndarray:
    """yuv420p needs even sides; replicate the last row/column of a (H, W, 3) frame instead of failing."""
    h, w, _ = frame.shape
    pad_h, pad_w = h % 2, w % 2
    if pad_h or pad_w:
        frame = np.pad(frame, ((0, pad_h), (0, pad_w), (0, 0)), mode="edge")
    return frame


def convert_workers() -> int:
    """Threads for the RGB -> YUV conversion; x264's frame threads already fill a small machine's cores."""
    return min(_CONVERT_THREADS, (os.cpu_count() or 1) // 4)


def _converted(frames: Iterable[np.ndarray], pix_fmt: str) -> Iterator[Any]:
    """``frames`` as PyAV frames in the encoder's pixel format, converted ahead of it by a pool of threads.

    Left to the encoder, the RGB -> YUV conversion runs one frame at a time on
    the thread that feeds x264. swscale releases the GIL, so a pool converts in
    parallel while x264 encodes: 121 frames at 768x512 went from 0.70 s to
    0.29 s on a 16-core host (docs/benchmarks.md). The window keeps only a few
    frames in flight, whatever the length. The conversion is the one the encoder
    would make (same defaults), so the pixels are the same.
    """
    import av

    def convert(image: np.ndarray) -> Any:
        return av.VideoFrame.from_ndarray(_even(image), format="rgb24").reformat(format=pix_fmt)

    return ahead(convert, frames, convert_workers(), "reelgen-yuv")


def add_audio_stream(container: Any, audio: Audio, codec: str) -> Any:
    """An audio stream of ``codec`` in ``container`` for ``audio`` (mono or stereo; Opus at 48 kHz)."""
    layout = "mono" if audio.samples.shape[0] == 1 else "stereo"
    rate = 48000 if codec == "libopus" else codec_rate(codec, audio.sample_rate)
    return container.add_stream(codec, rate=rate, layout=layout)


def codec_rate(codec: str, rate: int) -> int:
    """``rate``, or where ``codec`` takes only listed rates and not this one, the next it takes above
    (its highest, above them all); ``encode_audio`` resamples to it. AAC takes 7.35 to 96 kHz: a
    192 kHz voice made a whole avatar, then failed as an internal error when its sound was encoded."""
    import av

    rates = av.codec.Codec(codec, "w").audio_rates
    if not rates or rate in rates:
        return rate
    above = [taken for taken in rates if taken >= rate]
    return min(above) if above else max(rates)


def encode_audio(container: Any, stream: Any, audio: Audio) -> None:
    """Encode ``audio`` into ``stream`` of ``container``, flushing the encoder at the end."""
    import av

    samples = np.clip(audio.samples[:2].astype(np.float32), -1.0, 1.0)
    layout = stream.layout.name
    resampler = av.AudioResampler(format=stream.format.name, layout=layout, rate=stream.rate)
    chunk = 1024

    def mux(frame: Any) -> None:
        for converted in resampler.resample(frame):
            for packet in stream.encode(converted):
                container.mux(packet)

    for start in range(0, samples.shape[1], chunk):
        piece = np.ascontiguousarray(samples[:, start : start + chunk])
        frame = av.AudioFrame.from_ndarray(piece, format="fltp", layout=layout)
        frame.sample_rate = audio.sample_rate
        frame.pts = start
        frame.time_base = Fraction(1, audio.sample_rate)
        mux(frame)
    mux(None)
    for packet in stream.encode(None):
        container.mux(packet)


def write_video(
    video: Video,
    path: str | Path,
    metadata: dict[str, Any] | None = None,
    *,
    crf: int = 18,
    preset: str = X264_PRESET,
) -> Path:
    """Encode ``video`` to ``path`` (the suffix picks the container), all or nothing.

    The file is written beside its destination and renamed into place, so a
    crash or Ctrl-C never leaves a half-written video under the final name.
    ``preset`` is x264's (MP4, MOV); the encoder uses every core, frame-parallel.
    """
    size = (video.width, video.height)
    return write_frames(video.frames, size, video.fps, path, metadata, video.audio, crf=crf, preset=preset)


def wrong_container(path: Path) -> InvalidRequest:
    """The refusal of an output name that is no video file, in the one wording every command uses:
    enhance said "unknown container .json; valid: ..." where generate and replay said this."""
    *most, last = CONTAINERS
    if str(path) == "-":  # "give a name such as -.mp4": a dash is no pipe here
        return InvalidRequest(
            "output: - (standard output) is not written to; give a file name such as clip.mp4", param="output"
        )
    return InvalidRequest(
        f"output: {path} does not end in {', '.join(most)} or {last}; give a name such as {path.stem or 'clip'}.mp4",
        param="output",
    )


def write_frames(
    frames: Iterable[np.ndarray],
    size: tuple[int, int],
    fps: Fraction,
    path: str | Path,
    metadata: dict[str, Any] | None = None,
    audio: Audio | None = None,
    *,
    crf: int = 18,
    preset: str = X264_PRESET,
    check: Callable[[], None] | None = None,
) -> Path:
    """``write_video`` for (H, W, 3) uint8 frames of ``size`` (width, height) encoded as they come,
    so a clip made a piece at a time (``reelgen enhance``) is never held whole. ``check``: as
    ``encode_into``'s."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in CONTAINERS:
        raise wrong_container(path)
    with staged(path) as (tmp,):
        encode_into(tmp, frames, size, fps, metadata, audio, crf=crf, preset=preset, check=check)
    return path


def write_clip(
    video: Video,
    out_path: Path,
    record: dict[str, Any],
    begun: float,
    before_rename: Callable[[], None] | None = None,
) -> Path:
    """``video`` with ``record`` embedded, and the record beside it as ``NAME.json``; returns the latter.

    The two replace what was there together, or not at all: a full disk or a Ctrl-C while either is
    written leaves the earlier video and its record as they were. ``record["timings"]`` gets the
    encode and total times (``begun`` is when the run began) before the sidecar is written; the
    container keeps the timings known before encoding. ``before_rename`` runs last, inside, and
    during a GIF's encode (see ``encode_into``).
    """
    timings = record.setdefault("timings", {})
    started = time.monotonic()
    sidecar = out_path.with_suffix(".json")
    with staged(out_path, sidecar) as (video_file, record_file):
        size = (video.width, video.height)
        encode_into(video_file, video.frames, size, video.fps, record, video.audio, check=before_rename)
        timings["encode"] = time.monotonic() - started
        timings["total"] = time.monotonic() - begun
        dump_json(record_file, record)
        if before_rename is not None:
            before_rename()
    return sidecar


def encode_into(
    tmp: Path,
    frames: Iterable[np.ndarray],
    size: tuple[int, int],
    fps: Fraction,
    metadata: dict[str, Any] | None = None,
    audio: Audio | None = None,
    *,
    crf: int = 18,
    preset: str = X264_PRESET,
    check: Callable[[], None] | None = None,
    aspect: Fraction | None = None,
    colour: tuple[int, int] | None = None,
) -> None:
    """Encode into ``tmp`` (a file from ``staged``, whose suffix picks the container), straight in place.

    A GIF gets no ``audio``: the caller said it is left out (``reelgen.core.gif.left_out``).
    ``check`` (a cancel check) runs at every frame of a GIF's two passes, which follow the last frame.
    ``aspect``: the pixels' shape (width:height) where not square, written into the stream; a GIF
    has none (whoever writes one says so). ``colour``: the primaries and transfer the frames' RGB is
    in (FFmpeg's numbers), where not BT.601's: said in place of those, the matrix staying BT.601's.
    """
    import av

    if tmp.suffix.lower() == GIF:
        encode_gif(tmp, frames, (size[0] + size[0] % 2, size[1] + size[1] % 2), fps, metadata, check)
        return
    vcodec, pix_fmt, acodec, options = CONTAINERS[tmp.suffix.lower()]
    with av.open(str(tmp), mode="w", options=options) as container:
        if metadata is not None:
            container.metadata[METADATA_KEY] = json.dumps(metadata, sort_keys=True, default=str)
        stream: Any = container.add_stream(vcodec, rate=fps)
        stream.width, stream.height, stream.pix_fmt = (
            size[0] + size[0] % 2,
            size[1] + size[1] % 2,
            pix_fmt,
        )
        x264 = {"preset": preset, **x264_params()} if vcodec == "libx264" else {}
        stream.options = {"crf": str(crf)} | x264
        # PyAV asks for slice threads by default; frame threads keep all cores busy on short clips.
        stream.thread_type = "AUTO"
        tag_bt601(stream)
        if aspect is not None:  # in the codec's header and the container's (MP4's pasp box)
            stream.codec_context.sample_aspect_ratio = aspect
        if colour is not None:
            stream.codec_context.color_primaries, stream.codec_context.color_trc = colour
        audio_stream = add_audio_stream(container, audio, acodec) if audio is not None else None
        encode_video(container, stream, _converted(frames, pix_fmt), tmp)
        if audio is not None:
            encode_audio(container, audio_stream, audio)


def read_metadata(path: str | Path) -> dict[str, Any]:
    """reelgen's record embedded in a video it wrote; InvalidRequest if there is none."""
    import av

    try:
        with av.open(str(path)) as container:
            # Matroska/WebM upper-cases tag names; MP4 keeps them as written.
            tags = {k.lower(): v for k, v in container.metadata.items()}
            raw = tags.get(METADATA_KEY)
    except av.error.FFmpegError as exc:
        raise InvalidRequest(
            f"{path} is not a video ({exc.strerror or exc}); give a video reelgen made or its .json sidecar",
            param="path",
        ) from None
    if not raw:
        raise InvalidRequest(f"{path} carries no reelgen metadata (was it made by reelgen?)", param="path")
    try:
        record = json.loads(raw)
    except (ValueError, RecursionError):
        raise InvalidRequest(f"{path}: its metadata is not reelgen's JSON record", param="path") from None
    if not isinstance(record, dict):
        raise InvalidRequest(f"{path}: its metadata is not reelgen's JSON record", param="path")
    return record


def write_sidecar(video: Path, record: dict[str, Any]) -> Path:
    """The record beside a video just written (``NAME.json``), all or nothing.

    Should it fail (a full disk), an older sidecar is removed rather than left
    beside the new video describing another one; the video still carries its
    own record in the container, so a replay loses nothing.
    """
    sidecar = video.with_suffix(".json")
    try:
        return write_json_atomic(sidecar, record)
    except BaseException:
        sidecar.unlink(missing_ok=True)
        raise


def write_json_atomic(path: Path, data: dict[str, Any]) -> Path:
    """Write ``data`` as JSON to ``path``, all or nothing, with the permissions the umask gives."""
    with staged(path) as (tmp,):
        dump_json(tmp, data)
    return path


def dump_json(tmp: Path, data: dict[str, Any]) -> None:
    """``data`` as JSON into ``tmp`` (a file from ``staged``), as every record and state file is written."""
    with open(tmp, "w") as fh:
        json.dump(data, fh, indent=2, sort_keys=True, default=str)
