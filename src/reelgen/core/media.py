"""Reads images and videos into reelgen's values and fits them to a backend's size."""

from __future__ import annotations

import itertools
import os
import re
import warnings
from collections.abc import Callable, Generator, Iterable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from PIL import Image, ImageOps

from reelgen.core.ahead import ahead
from reelgen.core.audio_track import read_audio
from reelgen.core.cut_short import frames_after
from reelgen.core.errors import InvalidRequest
from reelgen.core.picture_stream import picture_stream
from reelgen.core.types import Video
from reelgen.core.video_timing import Timing, nearest_tick, unreadable_video, video_timing

#: Larger images are refused before decoding (decompression bombs).
MAX_IMAGE_PIXELS = 64_000_000
#: ``fit`` scales a whole image of at most this many frames' pixels (a portrait photo in 16:9: 3).
FIT_SPARE = 16
T = TypeVar("T")
IMAGE_FORMATS = {"PNG", "JPEG", "WEBP", "BMP", "GIF", "TIFF"}


def load_image(path: str | Path, param: str = "image") -> Image.Image:
    """Open an image as RGB, refusing unknown formats and oversized pixel counts."""
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        # between 1x and 2x the cap Pillow only warns: refused below, in words
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(path)
        with img:
            if img.format not in IMAGE_FORMATS | {"MPO"}:  # MPO: a phone's multi-picture JPEG
                raise InvalidRequest(
                    f"{param}: {img.format} images are not accepted; valid: {', '.join(sorted(IMAGE_FORMATS))}",
                    param=param,
                )
            if img.width * img.height > MAX_IMAGE_PIXELS:
                raise _too_many_pixels(
                    param, path, f"{img.width}x{img.height}, {img.width * img.height:,} pixels"
                )
            # A phone stores a portrait photo sideways with an EXIF Orientation tag to turn it by: read
            # as stored, a selfie was a face lying on its side (no face found, a sideways video).
            return _rgb(ImageOps.exif_transpose(img))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's words ("could be decompression bomb DOS attack") name neither the file nor a limit to meet.
        counted = re.search(r"\((\d+) pixels\)", str(exc))
        raise _too_many_pixels(
            param, path, f"{int(counted[1]):,} pixels" if counted else "too many pixels"
        ) from None
    except (OSError, SyntaxError) as exc:
        valid = f"valid: {', '.join(sorted(IMAGE_FORMATS))}"
        # An empty file and an iPhone's HEIC photo were both "cannot identify image file", a broken picture's words.
        head = _head(path)
        if head is not None and (said := no_picture(head)):
            raise InvalidRequest(f"{param}: {path}: {said}; {valid}", param=param) from None
        raise InvalidRequest(
            f"{param}: {path} is not a readable image ({unnamed(exc, path)}); {valid}", param=param
        ) from None


#: The brands an ISO media file of still pictures starts with: a HEIC/HEIF or AVIF photo, not a clip.
HEIF_BRANDS = (b"heic", b"heix", b"heim", b"hevc", b"heis", b"mif1", b"msf1", b"avif")


def no_picture(head: bytes, verb: str = "give") -> str | None:
    """What a file starting with ``head`` (its first 12 bytes or more) is where it is no picture Pillow
    reads and that can be said plainly: empty, or a HEIC/HEIF photo; else None. One wording for the CLI
    and the API (``verb``: "give" here, "send" for an upload)."""
    if not head:
        return "the file is empty (0 bytes)"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return f"a HEIC/HEIF photo (as an iPhone takes) is not taken here; {verb} it as JPEG or PNG"
    return None


def _head(path: str | Path) -> bytes | None:
    """The first bytes of ``path``; None where it cannot be read (said as before)."""
    try:
        with open(path, "rb") as file:
            return file.read(12)
    except (OSError, TypeError, ValueError):
        return None


def unnamed(exc: BaseException, path: str | Path) -> str:
    """Pillow's words without the path it quotes ("cannot identify image file '/x/a.png'"): said beside
    the path already, the message named it twice."""
    return str(exc).replace(f" {os.fspath(path)!r}", "").replace(f" {os.fspath(path)}", "")


def _too_many_pixels(param: str, path: str | Path, size: str) -> InvalidRequest:
    return InvalidRequest(
        f"{param}: {path} is too large ({size}); an input image has at most {MAX_IMAGE_PIXELS:,} pixels "
        "(8000x8000, say): give a smaller one",
        param=param,
    )


def _rgb(img: Image.Image) -> Image.Image:
    """``img`` as 8-bit RGB with its own tones; transparent parts become black (a frame has no alpha).

    Pillow opens a 16-bit greyscale PNG as integer pixels of 0..65535 and its RGB conversion clips them
    at 255: a photo came out almost white (and no face was found). A float image (mode F) of 0..1
    likewise came out black. Transparency (RGBA, LA, a palette's transparent entry) is composited onto
    black, so the colour a file happens to keep under a clear pixel never shows.
    """
    if img.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        values = np.nan_to_num(np.asarray(img, dtype=np.float64))
        top = values.max(initial=0.0)
        if img.mode == "F" and top <= 1.0:
            values = values * 255.0  # floats of 0..1
        elif img.mode != "I" and img.mode != "F" or top > 255:  # "I" or "F" holding 8-bit values stay
            values = values / 257.0
        return Image.fromarray(values.clip(0, 255).astype(np.uint8), mode="L").convert("RGB")
    if img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in img.info:
        clear = img.convert("RGBA")
        return Image.alpha_composite(Image.new("RGBA", clear.size, (0, 0, 0, 255)), clear).convert("RGB")
    return img.convert("RGB")


def fit(image: Image.Image, width: int, height: int) -> Image.Image:
    """Scale to cover width x height, then centre-crop: no stretching, no borders."""
    scale = max(width / image.width, height / image.height)
    size = (max(width, round(image.width * scale)), max(height, round(image.height * scale)))
    left, top = (size[0] - width) // 2, (size[1] - height) // 2
    if size[0] * size[1] > FIT_SPARE * width * height:
        # A 10000x10 banner scaled to cover 512x512 was 512000x512 first (8.5 s): resample the part kept.
        sx, sy = image.width / size[0], image.height / size[1]
        box = (left * sx, top * sy, (left + width) * sx, (top + height) * sy)
        return image.resize((width, height), Image.Resampling.LANCZOS, box=box)
    resized = image.resize(size, Image.Resampling.LANCZOS)
    return resized.crop((left, top, left + width, top + height))


def load_fitted(path: str | Path, width: int, height: int, param: str = "image") -> Image.Image:
    return fit(load_image(path, param), width, height)


def frame_threads(stream: Any, at_most: int | None = None) -> None:
    """Decode ``stream`` on FFmpeg's frame threads, at most ``at_most`` of them (default: FFmpeg's choice).

    PyAV asks for slice threads only, which H.264 at these sizes barely uses: the 27 MB noise-like clip
    of a random-weight model took 2.5 s to decode on two cores that way, 1.4 s on frame threads.
    """
    stream.thread_type = "AUTO"
    if at_most is not None:
        stream.codec_context.thread_count = min(at_most, os.cpu_count() or 1)


def rgb_workers() -> int:
    """Threads converting decoded frames to RGB: swscale releases the GIL, and for smooth real footage the
    conversion, not the decode, is most of the time (121 frames at 768x512: 0.31 s serial, 0.14 s on two)."""
    return min(4, os.cpu_count() or 1)


def decode_frames(
    path: str | Path,
    timing: Timing,
    convert: Callable[[Any], T],
    param: str = "source_video",
    shown: str | None = None,
    *,
    partial: bool = False,
) -> Generator[T]:
    """``convert`` of each frame of ``path`` delivered at ``timing``, one at a time, in order.

    Conversions run a few frames ahead on a small pool (``rgb_workers``); a frame held over several ticks
    is converted once. A decoding error is an ``InvalidRequest`` naming ``param`` and the file as ``shown``;
    with ``partial``, one after the first frame ends the frames there instead (``reelgen enhance`` makes
    what a damaged file holds and says so; a model's source clip must be the whole clip).
    """
    import av

    shown = shown or str(path)
    stopped: list[Exception] = []
    delivered = 0
    try:
        with av.open(str(path)) as container:
            stream = picture_stream(container) or container.streams.video[0]
            frame_threads(stream)
            frames = _every_frame(path, container.decode(stream), timing.source_frames)
            if partial:
                frames = _until_damaged(frames, stopped)
            converted = ahead(lambda f: (f.pts, convert(f)), frames, rgb_workers())
            held = _held(converted, timing, Fraction(stream.time_base or 1)) if timing.variable else None
            for frame in held if held is not None else (frame for _, frame in converted):
                delivered += 1
                yield frame
    except av.error.FFmpegError as exc:
        raise unreadable_video(param, shown, path, exc) from None
    if stopped and not delivered:
        raise unreadable_video(param, shown, path, stopped[0])


def _until_damaged(frames: Iterator[Any], stopped: list[Exception]) -> Iterator[Any]:
    """``frames`` up to the first the decoder fails on, which goes into ``stopped``: a bad block part-way
    through a card's clip refused the whole file, the frames before it already enhanced. The frames
    decoded before the failure still come out (the conversion pool holds a few)."""
    import av

    try:
        yield from frames
    except av.error.FFmpegError as exc:
        stopped.append(exc)


def _every_frame(path: str | Path, frames: Iterator[Any], expected: int) -> Iterator[Any]:
    """``frames`` (decoded on frame threads), then any a file cut inside a frame still holds: the
    threads lost those in flight with its broken last packet (``frames_after``)."""
    delivered = 0
    for frame in frames:
        delivered += 1
        yield frame
    if delivered < expected:
        yield from frames_after(path, delivered)


def _held(frames: Iterable[tuple[int | None, T]], timing: Timing, base: Fraction) -> Iterator[T]:
    """Each frame from the tick nearest its timestamp until the next frame's (see ``Timing``)."""
    first: int | None = None
    held: T | None = None
    tick = 0  # the next tick to fill
    for pts, frame in frames:
        first = pts if first is None else first
        at = tick if pts is None or first is None else nearest_tick(pts - first, base, timing.fps)
        while held is not None and tick < at:
            yield held
            tick += 1
        held = frame
    if held is not None:
        yield held


def read_video(
    path: str | Path, param: str = "source_video", max_frames: int | None = None, *, whole: bool = False
) -> Video:
    """Decode a video file (any container PyAV reads) into a Video, audio included, its frames as a player
    shows them: variable-rate comes back at a constant rate, frames placed by their timestamps
    (``Timing``); ``whole`` refuses one cut short."""
    import av

    timing = video_timing(path, param, whole=whole)
    decoded = decode_frames(path, timing, rgb, param)
    try:
        frames = list(itertools.islice(decoded, max_frames))
    finally:
        decoded.close()  # a clip cut short by max_frames: close the file now
    try:
        audio = read_audio(path)
    except av.error.FFmpegError as exc:
        raise unreadable_video(param, str(path), path, exc) from None
    if not frames:
        raise InvalidRequest(f"{param}: {path} has no frames", param=param)
    from reelgen.core.enhance.mux import display_rotation, upright

    turned = display_rotation(path)  # a phone's portrait clip, stored sideways: extend continued it so
    return Video(np.stack([upright(frame, turned) for frame in frames]), timing.fps, audio)


def rgb(frame: Any) -> np.ndarray:
    """A decoded PyAV frame as (H, W, 3) uint8 RGB."""
    return frame.to_ndarray(format="rgb24")


def fit_video(video: Video, width: int, height: int, num_frames: int | None = None) -> list[Image.Image]:
    """Frames of ``video`` as PIL images fitted to width x height, cut to ``num_frames``."""
    return [fit(Image.fromarray(f), width, height) for f in video.frames[:num_frames]]


def probe(path: str | Path) -> dict[str, Any]:
    """Frame count, size, fps, duration and streams of a media file, as a player would report them."""
    import av

    with av.open(str(path)) as container:
        v = picture_stream(container) or container.streams.video[0]
        frame_threads(v)
        info: dict[str, Any] = {
            "frames": sum(1 for _ in container.decode(v)),
            "width": v.codec_context.width,
            "height": v.codec_context.height,
            "fps": float(v.average_rate) if v.average_rate else None,
            "codec": v.codec_context.name,
            "pix_fmt": v.codec_context.pix_fmt,
            "has_audio": bool(container.streams.audio),
            "metadata": dict(container.metadata),
        }
        if info["has_audio"]:
            a = container.streams.audio[0]
            info["audio_codec"] = a.codec_context.name
            duration, base = a.duration, a.time_base
            info["audio_seconds"] = float(duration * base) if duration and base else None
    return info
