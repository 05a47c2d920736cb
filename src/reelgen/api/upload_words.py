"""An upload refused as no readable image, said for what it is: an empty file, a HEIC photo, a video."""

from __future__ import annotations

import io

from reelgen.api.errors import ApiError
from reelgen.core.media import no_picture


def said_for_what_it_is(exc: ApiError, data: bytes) -> ApiError:
    """``exc`` said better where the upload is no picture at all: all three were "not a readable image",
    the words for a broken picture, with no way on."""
    if exc.code != "invalid_image" or "not a readable image" not in exc.message:
        return exc
    param = exc.param or "input_reference"
    valid = exc.message.partition("; ")[2]  # "valid formats: JPEG, PNG, ..."
    plainly = no_picture(data[:12], verb="send")
    if plainly is not None:
        said = f"{plainly}: an upload that sent nothing" if not data else plainly
    elif _a_clip(data):
        said = "it is a video, not an image; send a still image"
        said += ", or send the clip as source_video to start from it" if param == "input_reference" else ""
    else:
        return exc
    return ApiError(exc.status, f"{param}: {said}; {valid}", param=param, code=exc.code)


def _a_clip(data: bytes) -> bool:
    """Whether FFmpeg reads ``data`` as a moving picture (not a still it reads as one frame)."""
    import av

    try:
        with av.open(io.BytesIO(data)) as container:
            name = container.format.name
            return bool(container.streams.video) and not name.endswith("_pipe") and name != "image2"
    except (av.error.FFmpegError, OSError, ValueError):
        return False
