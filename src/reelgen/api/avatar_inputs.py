"""An avatar request's uploads checked at the edge: the voice probed, the face found, each kept as a job input.

Everything a person could get wrong is answered here with a 400 naming the
field, before a job exists: audio that is not audio, silent or longer than
``REELGEN_AVATAR_MAX_SECONDS``; an image that is broken or shows no face (or
fewer faces than ``face_index`` counts); a video that is not one, or shows no face
in the frames the dub shows (with text, searched once the text is spoken, by
``video_face``). A video's frames are searched only up to the first face, so a
clip with one costs a frame's decode here; the worker tracks the face through them all.
"""

from __future__ import annotations

import functools
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

import anyio
import numpy as np
from fastapi import Request
from starlette.concurrency import run_in_threadpool

from reelgen.api.deps import service_of, settings_of
from reelgen.api.errors import ApiError, from_reelgen
from reelgen.api.inputs import SavedInputs, decodes
from reelgen.api.security import ProbedImage, container_kind, decode_image, probe_video, read_image_header
from reelgen.core.cut_short import Tally
from reelgen.core.errors import InvalidRequest, ReelgenError
from reelgen.core.types import Audio

#: The API's names for the core request's avatar fields.
WIRE_NAMES = {
    "speech_audio": "audio",
    "speech_text": "text",
    "start_image": "image",
    "source_video": "video",
    "options.face_index": "face_index",
}
#: Containers a voice may come in (FFmpeg's format name -> the suffix it is kept under).
AUDIO_CONTAINERS = {
    "wav": ".wav",
    "mp3": ".mp3",
    "flac": ".flac",
    "ogg": ".ogg",
    "mov,mp4,m4a,3gp,3g2,mj2": ".m4a",
    "matroska,webm": ".webm",
}
#: Other suffixes a voice of these containers is sent under and kept by, so the record names the file as
#: sent: a voice in an MP4 (an interview's soundtrack) was kept as ``.m4a`` and its name dropped, and a
#: replay of the downloaded video did not find ``talk.mp4`` beside it.
AUDIO_NAMES = {".m4a": (".mp4", ".mov"), ".webm": (".mkv",)}
#: The name the default presenter's photo is kept and recorded under.
PRESENTER_NAME = "default-presenter.png"
#: The rate a dub is made at over HTTP, which sends no fps: every avatar model's.
_DUB_FPS = 25.0
#: Rate the voice is checked at here: loudness and length need no more.
_CHECK_RATE = 16_000


@dataclass
class Uploads:
    """The files of one avatar request, as bytes: a voice, and a photo or a video (or neither)."""

    audio: bytes | None = None
    image: bytes | None = None
    video: bytes | None = None
    #: The names the files were sent under, by field (the output's record names them so).
    names: dict[str, str] = field(default_factory=dict)


def wire_error(exc: ReelgenError, face_source: str = "image") -> ApiError:
    """A core error as the avatar routes name things: ``speech_audio`` -> ``audio`` and so on."""
    renames = {**WIRE_NAMES, "start_image": face_source}
    param = exc.param or ""
    wire = renames.get(param)
    if wire is None:
        return from_reelgen(exc)
    message = exc.message
    if message.startswith(param):
        message = wire + message[len(param) :]
    return ApiError(400, message, param=wire, code=exc.code)


def probe_audio(data: bytes, limit_s: float, param: str = "audio") -> str:
    """Check an uploaded voice: a known container with an audio stream, not over ``limit_s``, not silent.

    The length in the header is checked before any sample is decoded; a file whose
    header says nothing (or lies) is stopped as soon as its decoded samples pass
    the limit. Returns the suffix to keep it under.
    """
    return probe_voice(data, limit_s, param)[0]


def probe_voice(data: bytes, limit_s: float, param: str = "audio") -> tuple[str, float]:
    """``probe_audio``, and the voice's length in seconds (the dub's length, for its video's face check)."""
    import av

    from reelgen.core.speech.audio import check_voice, stated_length
    from reelgen.core.speech.wav_cut import flac_promise, mp3_frames, refuse_cut_short

    valid = "WAV, MP3, FLAC, OGG, M4A or WebM audio"
    try:  # as a run here refuses it: FFmpeg reads a WAV cut short for what it holds, silently
        refuse_cut_short(io.BytesIO(data), len(data), param, "the file")
    except InvalidRequest as exc:
        raise ApiError(400, exc.message, param=param) from None
    promise = flac_promise(io.BytesIO(data))  # a FLAC's exact length, checked against what decodes
    tagged = mp3_frames(io.BytesIO(data))  # the frames an MP3's Xing/Info tag lists
    cut = _Cut(promise, tagged)
    chunks: list[np.ndarray] = []
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            suffix = AUDIO_CONTAINERS.get(container.format.name)
            if suffix is None:
                raise ApiError(
                    400,
                    f"{param}: {container_kind(container.format)} is not audio this takes; send {valid}",
                    param=param,
                )
            if not container.streams.audio or len(container.streams) > 4:
                raise ApiError(400, f"{param}: needs an audio stream (and at most 4 streams)", param=param)
            stream = container.streams.audio[0]
            cut.declared = float(container.duration / av.time_base) if container.duration else 0.0
            if cut.declared > limit_s:
                raise _too_long(param, cut.declared, limit_s)
            cut.stated = stated_length(container, stream)
            cut.rate = int(stream.codec_context.sample_rate or 0)
            if container.format.name != "mp3":
                cut.tagged = None  # the bytes looked like an MP3's tag, but FFmpeg read another format
            resampler = av.AudioResampler(format="flt", layout="mono", rate=_CHECK_RATE)
            cut.tally = Tally(stream.index)
            # Every stream's packets are counted as they are read, so a file cut short is told from a
            # whole one in this one pass (an MP3 cut short passed here, then the job was refused).
            packets = cut.tally.counted(container.demux())
            # Counted as they come: summed over every chunk after each frame, a 5-minute MP3 (11,000
            # frames) took 3 s of the API host's CPU to check, ten times its decode, and 30 minutes 100 s.
            decoded = 0
            try:
                for packet in packets:
                    for frame in packet.decode() if packet.stream.index == stream.index else ():
                        cut.native += frame.samples
                        for piece in resampler.resample(frame):
                            chunks.append(piece.to_ndarray().reshape(-1))
                            decoded += chunks[-1].size
                        if decoded > (limit_s + 1) * _CHECK_RATE:
                            raise _too_long(param, None, limit_s)
            except av.error.FFmpegError:
                if cut.stated[0] or cut.tagged:
                    cut.tally.drain(packets)  # the packets after the one that failed count for where it stops
                raise
            chunks.extend(f.to_ndarray().reshape(-1) for f in resampler.resample(None))
    except ApiError:
        raise
    except (av.error.FFmpegError, OSError, UnicodeDecodeError, ValueError) as exc:
        cut.refuse(data, param)  # it stopped inside a frame
        # FFmpeg's reason without its errno and the '<none>' file name an upload has; an empty one
        # was "Invalid data found", as if its content were bad (a run here says it is empty).
        reason = "the file is empty" if not data else getattr(exc, "strerror", None) or str(exc)
        raise ApiError(
            400, f"{param}: not a readable audio file ({reason}); send {valid}", param=param
        ) from None
    cut.refuse(data, param)
    samples = np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)
    if samples.size == 0:
        raise ApiError(400, f"{param}: the file holds no audio samples", param=param)
    try:
        check_voice(Audio(samples[None], _CHECK_RATE), param=param, limit_s=limit_s)
    except InvalidRequest as exc:
        raise ApiError(400, exc.message, param=param) from None
    return suffix, samples.size / _CHECK_RATE


@dataclass
class _Cut:
    """What an uploaded voice's headers promise and what its one read found, to tell one cut short."""

    promise: tuple[int, int] | None  # a FLAC's samples and rate (``flac_promise``)
    tagged: int | None  # an MP3's frames, as its Xing/Info tag lists them (``mp3_frames``)
    stated: tuple[int, float, int] = (0, 0.0, 0)  # an M4A track's listed packets, seconds and rate
    declared: float = 0.0  # the container's length, in seconds
    rate: int = 0  # the voice's own sample rate
    native: int = 0  # samples decoded, per channel, at that rate
    tally: Tally | None = None  # the packets read, of every stream

    def refuse(self, data: bytes, param: str) -> None:
        """A 400 for a FLAC, M4A or MP3 voice cut short, which the worker refuses (read_voice): it was
        queued, then failed, or (an MP3) refused at create time naming the server's copy."""
        from reelgen.core.speech.audio import refuse_mp4_short
        from reelgen.core.speech.wav_cut import refuse_flac_short, refuse_mp3_short

        try:
            refuse_flac_short(self.promise, self.native, param, "the file")
            refuse_mp4_short(io.BytesIO(data), self.stated, self.native, param, "the file", self.tally)
            if self.tagged is not None and self.tally is not None:
                stops = self.tally.broken or self.tally.end >= len(data)
                held = self.native / max(1, self.rate)
                refuse_mp3_short(
                    self.tagged, self.tally.count, stops, (self.declared, held), param, "the file"
                )
        except InvalidRequest as exc:
            raise ApiError(400, exc.message, param=param) from None


def _sent_suffix(suffix: str, sent_as: str | None) -> str:
    """The suffix a voice is kept under: the one it was sent under where its container carries that
    (``talk.mp4`` holding an M4A's audio), else the container's own (``AUDIO_CONTAINERS``)."""
    sent = Path(sent_as or "").suffix.lower()
    return sent if sent in AUDIO_NAMES.get(suffix, ()) else suffix


def _too_long(param: str, seconds: float | None, limit_s: float) -> ApiError:
    said = f"{seconds:.1f} s long" if seconds is not None else "longer than that"
    return ApiError(
        400,
        f"{param}: the voice track is {said}; this server takes at most {limit_s:g} s "
        "(REELGEN_AVATAR_MAX_SECONDS); split it into shorter avatars",
        param=param,
    )


def _whole_video(path: Path) -> None:
    """A 400 for a video cut short, which the worker refuses: it was queued, then failed. Its packets
    are read, not decoded."""
    from reelgen.core.media import video_timing

    try:
        video_timing(path, "video", "the file", whole=True)
    except InvalidRequest as exc:
        raise ApiError(400, exc.message, param="video") from None


def video_face(path: str | Path, face_index: int | None, num_frames: int, fps: float = _DUB_FPS) -> None:
    """A 400 in the run's words for a video in which none of the ``num_frames`` frames a dub at ``fps``
    shows has a face (or too few for ``face_index``). The frames past the dub's are never decoded."""
    from reelgen.core.face.source import video_has_face

    try:
        video_has_face(path, face_index, "the video", fps, num_frames)
    except ReelgenError as exc:
        raise wire_error(exc, "video") from None


def find_face(path: Path, face_index: int | None, where: str, param: str = "image") -> int:
    """The face the worker will animate exists in the photo at ``path``; returns how many faces it shows.

    The photo is read as the worker reads it (RGB, at its own size, which is the
    output's), so a face found here is the face found there.
    """
    from reelgen.core.face.detect import choose, photo_faces
    from reelgen.core.face.source import checked_photo

    try:
        # Kept, decoded, with its faces: resolving the request takes its size from this one decode.
        photo = checked_photo(str(path))
        faces = photo_faces(photo)
        choose(faces, face_index, where, photo.shape[:2])
    except ReelgenError as exc:
        raise wire_error(exc, param) from None
    return len(faces)


def _photo_header(data: bytes, max_pixels: int) -> ProbedImage:
    """The image's header checked; a video sent as ``image`` is told to go as ``video`` (it was
    "not a readable image", as if the file were broken)."""
    from reelgen.core.face.source import video_kind

    try:
        return read_image_header(data, max_pixels, "image")
    except ApiError as exc:
        if exc.code == "image_too_large":
            _check_header_size(data)  # the avatar's own limit, which a smaller photo meets next
            raise
        kind = video_kind(io.BytesIO(data))
        if kind is None:
            raise
        raise ApiError(
            400, f"image: the file is {kind}, not a photo; to dub it, send it as `video`", param="image"
        ) from None


def _check_header_size(data: bytes) -> None:
    """The avatar's size rule, on the size a photo's header gives: one over the server's pixel cap was
    told the cap, then, scaled below it, that an avatar takes at most 4096 pixels a side."""
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:  # the header only: nothing is decoded
                width, height = image.size
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return  # a size past what Pillow opens: the cap's words stand
    _check_photo_size(ProbedImage(data, "", width, height))


def _check_photo_size(probed: ProbedImage) -> None:
    """A photo the video cannot be made at is refused before its faces are searched: a 40-pixel one
    was "no face found", and a 5000-pixel one had its faces searched first."""
    from reelgen.core.backends.avatar.presets import RULES
    from reelgen.core.speech.prepare import check_face_size

    try:
        check_face_size("start_image", "photo", probed.width, probed.height, RULES)
    except ReelgenError as exc:
        raise wire_error(exc) from None


@functools.cache
def presenter_png() -> bytes:
    """The face used when a request gives none: scikit-image's astronaut portrait (public domain, NASA)."""
    from PIL import Image
    from skimage import data

    buf = io.BytesIO()
    Image.fromarray(data.astronaut()).save(buf, format="PNG")
    return buf.getvalue()


async def save_uploads(
    request: Request, uploads: Uploads, saved: SavedInputs, face_index: int | None
) -> dict[str, str]:
    """Probe each upload (full decodes wait for a slot of ``max_concurrent_decodes``) and keep it.

    Returns the core request's input fields (``speech_audio``, ``start_image`` or
    ``source_video``) pointing at the kept files. With neither a photo nor a
    video, the default presenter's photo stands in.
    """
    from reelgen.core.speech.audio import max_seconds

    settings, service = settings_of(request), service_of(request)
    limiter = decodes(request)
    fields: dict[str, str] = {}
    voice_s: float | None = None  # text is spoken later, when the request is resolved

    async def keep(upload: str, data: bytes, suffix: str) -> Path:
        path = await run_in_threadpool(service.save_input, data, suffix, uploads.names.get(upload))
        saved.paths.append(path)
        saved.digest[upload] = hashlib.sha256(data).hexdigest()
        return path

    if uploads.audio is not None:
        limit = await run_in_threadpool(max_seconds)
        heard = functools.partial(probe_voice, uploads.audio, limit)
        suffix, voice_s = await anyio.to_thread.run_sync(heard, limiter=limiter)
        suffix = _sent_suffix(suffix, uploads.names.get("audio"))
        fields["speech_audio"] = str(await keep("audio", uploads.audio, suffix))
    if uploads.video is not None:
        probe = functools.partial(
            probe_video, uploads.video, settings.max_video_seconds, settings.max_video_side, "video", gif=True
        )
        suffix = await anyio.to_thread.run_sync(probe, limiter=limiter)
        path = await keep("video", uploads.video, suffix)
        await anyio.to_thread.run_sync(functools.partial(_whole_video, path), limiter=limiter)
        # A video with no face was queued and failed on the worker; `reelgen avatar` refuses it at once.
        # Text has no length until it is spoken: its video is searched then (queue_avatar), over the
        # frames the speech reaches. Searched here, a faceless 2-minute clip was decoded whole per request.
        if voice_s is not None:
            # One frame more than the voice lasts: the worker rounds the length it reads at its own rate.
            frames = round(voice_s * _DUB_FPS) + 1
            face = functools.partial(video_face, path, face_index, frames)
            await anyio.to_thread.run_sync(face, limiter=limiter)
        fields["source_video"] = str(path)
        return fields
    image, where = uploads.image, "the image"
    if image is None:
        image, where = await run_in_threadpool(presenter_png), "the default presenter photo"
        # The video's record names it so; it said "start_image.png", a file the person never had.
        uploads.names["image"] = PRESENTER_NAME
    probed = await run_in_threadpool(_photo_header, image, settings.max_image_pixels)
    _check_photo_size(probed)
    await anyio.to_thread.run_sync(functools.partial(decode_image, image, "image"), limiter=limiter)
    path = await keep("image", probed.data, probed.suffix)
    check = functools.partial(find_face, path, face_index, where)
    await anyio.to_thread.run_sync(check, limiter=limiter)
    fields["start_image"] = str(path)
    return fields
