"""Which video stream of a file is its moving picture: an audio file's or a film's cover art is not one."""

from __future__ import annotations

from typing import Any


def is_cover(stream: Any) -> bool:
    """Whether ``stream`` is cover art: one attached picture (an M4A's or MP3's album art, a film's poster)."""
    import av

    return bool(stream.disposition & av.stream.Disposition.attached_pic)


def picture_stream(container: Any) -> Any | None:
    """The first video stream of ``container`` that is no cover art, or None where it has none.

    FFmpeg lists cover art as a video stream: taken as the picture, an M4A's album art became a
    one-frame video (its whole sound under one still), and where it came first in a film the film
    itself was never read.
    """
    return next((s for s in container.streams.video if not is_cover(s)), None)


def covers(container: Any) -> list[Any]:
    """The cover art streams of ``container``."""
    return [s for s in container.streams.video if is_cover(s)]


def cover_words(container: Any) -> str:
    """The cover art of ``container`` in words: "cover art (a JPEG picture)"."""
    kinds = sorted({_KIND.get(s.codec_context.name, s.codec_context.name.upper()) for s in covers(container)})
    return f"cover art ({' and '.join(f'a {kind} picture' for kind in kinds)})"


#: Cover art codecs as people know the pictures.
_KIND = {"mjpeg": "JPEG", "png": "PNG", "bmp": "BMP", "gif": "GIF", "webp": "WebP", "tiff": "TIFF"}
