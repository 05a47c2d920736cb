"""Feeds a video encoder, and tells one that could not get the memory to start from one refused for another reason."""

from __future__ import annotations

import re
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path
from typing import Any

from reelgen.core.errors import OutOfMemory

#: The largest side x264 takes: above it, opening fails the same way whatever the memory.
X264_MAX_SIDE = 16_384

#: The hidden name ``atomic.new_file_beside`` gives the file a video is written into, and the name it will have.
_STAGED = re.compile(r"^\.(?P<stem>.*)-[0-9a-f]{12}(?P<suffix>\.[^.]*)$")


class EncoderOutOfMemory(OutOfMemory, MemoryError):
    """The encoder could not allocate what it needs to start; a MemoryError too, so that a command
    that words memory failures its own way (``reelgen enhance``, with its upscale factor) does so."""


def encode_video(container: Any, stream: Any, frames: Iterable[Any], written: Path) -> None:
    """Encode ``frames`` (PyAV's) into ``stream`` of ``container``, writing ``written``, and flush it.

    An encoder that cannot get the memory to start (an 8x upscale to 8192x4608 on a machine short of it)
    was "internal error (ExternalError ... avcodec_open2("libx264" ...)) ... report it"; it is now
    ``EncoderOutOfMemory``, and whoever writes the file removes what was begun of it (``atomic.staged``).
    """
    try:
        for frame in frames:
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    except Exception as exc:
        size = (stream.width, stream.height)
        if encoder_short(exc, stream.codec_context.name, size, dict(stream.options)):
            raise encoder_out_of_memory(written, size) from None
        raise


def encoder_short(exc: BaseException, codec: str, size: tuple[int, int], options: dict[str, str]) -> bool:
    """Whether ``exc``, raised opening ``codec`` for frames of ``size``, is its allocations failing.

    Neither encoder says so: when x264's mallocs fail, FFmpeg answers "Generic error in an external
    library" (libvpx "Invalid argument"), as for parameters it refuses. What tells them apart: the
    same encoder, with the same options, opens at a small size, and this size is one it takes.
    """
    import av

    if not isinstance(exc, av.error.FFmpegError):
        return False
    if isinstance(exc, MemoryError):  # FFmpeg's own ENOMEM
        return True
    if not str(getattr(exc, "filename", None) or "").startswith(f'avcodec_open2("{codec}"'):
        return False  # not the encoder opening: it failed while encoding
    if codec == "libx264" and max(size) > X264_MAX_SIDE:
        return False
    return _opens_small(codec, options)


def _opens_small(codec: str, options: dict[str, str]) -> bool:
    """Whether ``codec`` opens with ``options`` for 64x64 frames (short of memory even for that counts)."""
    import av

    try:
        context: Any = av.CodecContext.create(codec, "w")
        context.width, context.height, context.pix_fmt = 64, 64, "yuv420p"
        context.time_base = Fraction(1, 24)
        context.options = dict(options)
        context.open()
    except MemoryError:
        return True
    except (av.error.FFmpegError, ValueError):
        return False
    return True


def encoder_out_of_memory(written: Path, size: tuple[int, int]) -> EncoderOutOfMemory:
    """The error for an encoder of ``size`` frames that could not start, writing ``written`` (a staged file,
    whose hidden name is turned back into the one the person gave), in ``reelgen enhance``'s words."""
    staged = _STAGED.match(written.name)
    name = f"{staged['stem']}{staged['suffix']}" if staged else written.name
    width, height = size
    each = width * height * 3 / 1e6  # an RGB frame; the encoder holds several, in its own formats
    return EncoderOutOfMemory(
        f"out of memory making {name}: its {width}x{height} frames ({each:,.1f} MB each) did not fit in the "
        "machine's free memory; free some of its memory"
    )
