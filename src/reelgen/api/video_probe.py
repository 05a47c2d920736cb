"""Uploaded videos checked from their headers and packets before one frame is decoded (no URLs, no playlists)."""

from __future__ import annotations

import io
import math
from typing import Any

from reelgen.api.errors import ApiError
from reelgen.core.picture_stream import covers, picture_stream
from reelgen.core.spec.request import MAX_FPS

VIDEO_CONTAINERS = {"mov,mp4,m4a,3gp,3g2,mj2": ".mp4", "matroska,webm": ".webm"}
#: An avatar's video may also be an animated GIF, as a local ``reelgen avatar --video`` takes.
WITH_GIF = {**VIDEO_CONTAINERS, "gif": ".gif"}


def container_kind(fmt: Any) -> str:
    """What an upload is, in words, from PyAV's container format: FFmpeg names a still image by its
    demuxer (``png_pipe``), which says nothing to a person; its long name (``piped png sequence``)
    little more."""
    name = str(fmt.name)
    if name.endswith("_pipe"):
        return f"a {name.removesuffix('_pipe').upper()} image"
    return f"{fmt.long_name or name} ({name})"


def probe_video(
    data: bytes, max_seconds: float, max_side: int, param: str = "source_video", *, gif: bool = False
) -> str:
    """Open uploaded video bytes with PyAV (no URLs, no playlists) and check container, streams,
    size and length from the headers and the length and frame count from the packets (read, not decoded),
    then decode one frame; returns the file suffix to store it under. Nothing is decoded before then.
    ``gif``: an animated GIF is taken too.
    """
    import av

    kinds = WITH_GIF if gif else VIDEO_CONTAINERS
    valid = "MP4/MOV, WebM/MKV" + (", animated GIF" if gif else "")

    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            fmt = container.format.name
            if fmt not in kinds:
                raise ApiError(
                    400,
                    f"{param}: {container_kind(container.format)} is not a video this takes; valid: {valid}",
                    param=param,
                )
            picture = picture_stream(container)
            if picture is None and container.streams.audio:
                # It said only "needs a video stream", not that the file is a sound file. A song's cover
                # art (an M4A's) was taken as its video, and the job failed after the upload was queued.
                art = " (its one picture is cover art)" if covers(container) else ", no pictures"
                raise ApiError(
                    400, f"{param}: the file holds sound only{art}; send a video ({valid})", param=param
                )
            if picture is None:
                raise ApiError(400, f"{param}: needs a video stream", param=param)
            if len(container.streams) > 4:  # one video and four sound tracks was told it needs a video stream
                raise ApiError(
                    400,
                    f"{param}: holds {len(container.streams)} streams; this server takes at most 4 (a video "
                    "stream and up to 3 more)",
                    param=param,
                )
            stream = picture
            if stream.codec_context is None:  # a codec FFmpeg does not know: it was a 500 (AttributeError)
                raise ApiError(
                    400,
                    f"{param}: its video stream is in a codec this server cannot decode; send H.264, VP9 or "
                    "AV1 video in MP4/MOV or WebM/MKV",
                    param=param,
                )
            width, height = stream.codec_context.width, stream.codec_context.height
            seconds = float(container.duration / av.time_base) if container.duration else 0.0
            if not width or not height:
                raise ApiError(400, f"{param}: the video's size is not in its header", param=param)
            # Each limit said on its own: "64x64, 125.0s exceeds 4096px or 120.0s" left a person to
            # work out which of the two their video passed.
            if max(width, height) > max_side:
                raise ApiError(
                    400, f"{param}: {width}x{height} exceeds {max_side}px on its longer side", param=param
                )
            if seconds > max_seconds:
                raise ApiError(
                    400,
                    f"{param}: {seconds:.1f} s long; this server takes videos up to {max_seconds:g} s",
                    param=param,
                )
            too_long = _frames_past(
                container, stream, max_seconds, "no length" if not seconds else f"{seconds:.1f} s"
            )
            if too_long:
                raise ApiError(400, f"{param}: {too_long}", param=param)
        with av.open(io.BytesIO(data), mode="r") as container:  # from the start again, to decode
            next(container.decode(picture_stream(container)))  # one real frame: a broken stream fails here
    except ApiError:
        raise
    except StopIteration:
        raise ApiError(400, f"{param}: not a readable video (no frame decodes)", param=param) from None
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        # FFmpeg's reason without its errno and the '<none>' file name an upload has. An empty upload
        # was "Invalid data found", as if its content were bad; a run here says it is empty.
        reason = "the file is empty" if not data else getattr(exc, "strerror", None) or str(exc)
        raise ApiError(
            400, f"{param}: not a readable video ({reason}); valid: {valid}", param=param
        ) from None
    return kinds[fmt]


def _frames_past(container: Any, stream: Any, max_seconds: float, said: str) -> str | None:
    """What the video stream's packets (read, not decoded) hold past the limits, or None.

    The header's length is the sender's word: a WebM written without one passed as 0 s however long it
    ran. The walk stops at the first packet past ``max_seconds`` or past ``MAX_FPS`` frames a second of it.
    """
    base, most, start = float(stream.time_base or 0), math.ceil(max_seconds * MAX_FPS), None
    for count, packet in enumerate(container.demux(stream), 1):
        if count > most:
            return f"holds more than {most} frames ({MAX_FPS} a second for {max_seconds:g} s), the most taken"
        stamp = packet.pts if packet.pts is not None else packet.dts
        if stamp is not None and base:
            start = stamp if start is None else min(start, stamp)
            if (end := (stamp - start + (packet.duration or 0)) * base) > max_seconds:
                return (
                    f"its frames run to {end:.1f} s and on, though its header says {said}; "
                    f"this server takes videos up to {max_seconds:g} s"
                )
    return None
