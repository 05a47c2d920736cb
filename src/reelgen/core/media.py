"""Reads images and videos into reelgen's values and fits them to a backend's size."""

from __future__ import annotations

import itertools
import os
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from reelgen.core.ahead import ahead
from reelgen.core.errors import InvalidRequest
from reelgen.core.types import Audio, Video

#: Larger images are refused before decoding (decompression bombs).
MAX_IMAGE_PIXELS = 64_000_000
IMAGE_FORMATS = {"PNG", "JPEG", "WEBP", "BMP", "GIF", "TIFF"}


def load_image(path: str | Path, param: str = "image") -> Image.Image:
    """Open an image as RGB, refusing unknown formats and oversized pixel counts."""
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with Image.open(path) as img:
            if img.format not in IMAGE_FORMATS:
                raise InvalidRequest(
                    f"{param}: {img.format} images are not accepted; valid: {', '.join(sorted(IMAGE_FORMATS))}",
                    param=param,
                )
            if img.width * img.height > MAX_IMAGE_PIXELS:
                raise InvalidRequest(
                    f"{param}: {img.width}x{img.height} exceeds {MAX_IMAGE_PIXELS} pixels", param=param
                )
            return _rgb(img)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise InvalidRequest(f"{param}: image too large ({exc})", param=param) from None
    except (OSError, SyntaxError) as exc:
        raise InvalidRequest(f"{param}: {path} is not a readable image ({exc})", param=param) from None


def _rgb(img: Image.Image) -> Image.Image:
    """``img`` as 8-bit RGB; 16-bit greyscale scaled down, not clipped.

    Pillow opens a 16-bit greyscale PNG as integer pixels of 0..65535 and its RGB
    conversion clips them at 255: a photo came out almost white (and no face was found).
    """
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        import numpy as np

        values = np.asarray(img, dtype=np.uint32)
        if img.mode != "I" or values.max(initial=0) > 255:  # "I" holding 8-bit values stays as it is
            values = values // 257
        return Image.fromarray(values.clip(0, 255).astype(np.uint8), mode="L").convert("RGB")
    return img.convert("RGB")


def fit(image: Image.Image, width: int, height: int) -> Image.Image:
    """Scale to cover width x height, then centre-crop: no stretching, no borders."""
    scale = max(width / image.width, height / image.height)
    size = (max(width, round(image.width * scale)), max(height, round(image.height * scale)))
    resized = image.resize(size, Image.Resampling.LANCZOS)
    left, top = (size[0] - width) // 2, (size[1] - height) // 2
    return resized.crop((left, top, left + width, top + height))


def load_fitted(path: str | Path, width: int, height: int, param: str = "image") -> Image.Image:
    return fit(load_image(path, param), width, height)


def frame_threads(stream: Any, at_most: int | None = None) -> None:
    """Decode ``stream`` on FFmpeg's frame threads, at most ``at_most`` of them (default: FFmpeg's choice).

    PyAV asks for slice threads only, which H.264 at these sizes barely uses: the
    27 MB noise-like clip of a random-weight model took 2.5 s to decode on two
    cores that way, 1.4 s on frame threads.
    """
    stream.thread_type = "AUTO"
    if at_most is not None:
        stream.codec_context.thread_count = min(at_most, os.cpu_count() or 1)


def rgb_workers() -> int:
    """Threads converting decoded frames to RGB: swscale releases the GIL, and for smooth real footage the
    conversion, not the decode, is most of the time (121 frames at 768x512: 0.31 s serial, 0.14 s on two)."""
    return min(4, os.cpu_count() or 1)


def read_video(path: str | Path, param: str = "source_video", max_frames: int | None = None) -> Video:
    """Decode a video file (any container PyAV reads) into a Video, audio included."""
    import av

    def rgb(frame: Any) -> np.ndarray:
        return frame.to_ndarray(format="rgb24")

    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise InvalidRequest(f"{param}: {path} has no video stream", param=param)
            stream = container.streams.video[0]
            frame_threads(stream)
            fps = Fraction(stream.average_rate or stream.guessed_rate or 24)
            decoded = itertools.islice(container.decode(stream), max_frames)
            frames = list(ahead(rgb, decoded, rgb_workers(), "reelgen-rgb"))
        audio = _read_audio(path)
    except av.error.FFmpegError as exc:
        raise InvalidRequest(f"{param}: {path} is not a readable video ({exc})", param=param) from None
    if not frames:
        raise InvalidRequest(f"{param}: {path} has no frames", param=param)
    return Video(np.stack(frames), fps, audio)


def _read_audio(path: str | Path) -> Audio | None:
    import av

    with av.open(str(path)) as container:
        if not container.streams.audio:
            return None
        stream = container.streams.audio[0]
        chunks = [f.to_ndarray() for f in container.decode(stream)]
        rate = stream.codec_context.sample_rate
    if not chunks:
        return None
    samples = np.concatenate(chunks, axis=-1).astype(np.float32)
    if samples.ndim == 1:
        samples = samples[None]
    return Audio(samples, rate)


def fit_video(video: Video, width: int, height: int, num_frames: int | None = None) -> list[Image.Image]:
    """Frames of ``video`` as PIL images fitted to width x height, cut to ``num_frames``."""
    frames = video.frames if num_frames is None else video.frames[:num_frames]
    return [fit(Image.fromarray(f), width, height) for f in frames]


def probe(path: str | Path) -> dict[str, Any]:
    """Frame count, size, fps, duration and streams of a media file, as a player would report them."""
    import av

    with av.open(str(path)) as container:
        v = container.streams.video[0]
        frame_threads(v)
        count = sum(1 for _ in container.decode(v))
        info: dict[str, Any] = {
            "frames": count,
            "width": v.codec_context.width,
            "height": v.codec_context.height,
            "fps": float(v.average_rate) if v.average_rate else None,
            "codec": v.codec_context.name,
            "pix_fmt": v.codec_context.pix_fmt,
            "has_audio": bool(container.streams.audio),
            "metadata": dict(container.metadata),
        }
    if info["has_audio"]:
        with av.open(str(path)) as container:
            a = container.streams.audio[0]
            info["audio_codec"] = a.codec_context.name
            duration, base = a.duration, a.time_base
            info["audio_seconds"] = float(duration * base) if duration and base else None
    return info
