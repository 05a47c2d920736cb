"""Source clips taken at the output's frame rate: video-to-video's (refused before a model loads when short)
and the context an extend run continues."""

from __future__ import annotations

import itertools
import math
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.request import ResolvedRequest
from reelgen.core.types import Video

if TYPE_CHECKING:
    from reelgen.core.spec.rules import SizeRules
    from reelgen.core.video_timing import Timing


def picked(num_frames: int, fps: float, source_fps: float) -> np.ndarray:
    """The source frame shown at each output frame's time: the output keeps the source's pace.

    Taken one for one, a 30 fps clip restyled at Wan's 16 fps played at half speed.
    """
    return np.floor(np.arange(num_frames) * source_fps / fps + 1e-6).astype(int)


def frames_at(frames: int, source_fps: float, fps: float) -> int:
    """How many frames at ``fps`` a clip of ``frames`` frames at ``source_fps`` holds, first to last."""
    return int((frames - 1) * fps / source_fps + 1e-6) + 1


def tail(clip: Video, fps: float, count: int) -> np.ndarray:
    """The clip's last ``count`` frames at ``fps``, ending on its last frame: the context an extend run
    continues. One for one at the clip's own rate; every other frame of a 24 fps clip extended at 12,
    so the continuation moves at the source's pace.
    """
    back = np.floor(np.arange(count - 1, -1, -1) * float(clip.fps) / fps + 1e-6).astype(int)
    return clip.frames[(clip.num_frames - 1) - back]


def read_tail(path: str, fps: float, most: int, *, whole: bool = False) -> tuple[Video, int]:
    """The end of the clip at ``path`` that ``tail`` takes up to ``most`` frames at ``fps`` from, as a
    player shows it, and how many frames the whole clip has.

    Frames are decoded one at a time and only the last few kept: read whole, an extend run held every
    frame of the source in memory to use a handful from its end.
    """
    from reelgen.core import media
    from reelgen.core.enhance.mux import display_rotation, upright

    timing = media.video_timing(path, "source_video", whole=whole)
    # As far back as ``tail`` reaches for ``most`` frames (the same sum), and the frame it ends on.
    kept: deque[np.ndarray] = deque(maxlen=int((max(most, 1) - 1) * float(timing.fps) / fps + 1e-6) + 1)
    total = 0
    from reelgen.core.model_frames import ModelRgb

    # In sRGB, as the model takes it: an HDR clip read as it is reached the model flat and washed out.
    decoded = media.decode_frames(path, timing, ModelRgb("source_video", path))
    try:
        for frame in decoded:
            kept.append(frame)
            total += 1
    finally:
        decoded.close()
    if not kept:
        raise InvalidRequest(f"source_video: {path} has no frames", param="source_video")
    turned = display_rotation(path)  # a phone's portrait clip, stored sideways
    return Video(np.stack([upright(frame, turned) for frame in kept]), timing.fps), total


def is_clip(path: str) -> bool:
    """Whether ``path`` is a video clip rather than an image: a command that takes a picture named a
    clip's reading trouble ("cannot identify image file") instead of the command that takes it.

    Only a regular file is opened: opening a FIFO (``<(cat photo.png)``) waited for ever for a writer,
    or took the picture the run was to read; a pipe or device is said as such by the run's own check."""
    import av
    from PIL import Image, UnidentifiedImageError

    from reelgen.core.video_timing import still_image_kind

    try:
        if not Path(path).is_file():
            return False
    except OSError:  # a name too long for any folder: the run says so, with its length
        return False

    try:
        with Image.open(path):
            return False  # an image Pillow knows, an animated GIF too: animate takes its first frame
    except (UnidentifiedImageError, OSError, ValueError):
        pass
    try:
        with av.open(path) as container:
            # image2 opens any file named .png (a damaged one too); a photo reads as a one-frame clip.
            named = container.format.name == "image2" or still_image_kind(container) is not None
            return bool(container.streams.video) and not named
    except (av.error.FFmpegError, OSError):
        return False


def check_long_enough(request: ResolvedRequest, rules: SizeRules) -> Timing:
    """Refuse a source clip shorter than the video asked for, with the longest valid count it allows;
    the clip's timing, read from its packets, for the decode that follows."""
    from reelgen.core import media

    timing = media.video_timing(request.source_video or "", "source_video", whole=True)
    source_fps, have = float(timing.fps), timing.frames
    if have and picked(request.num_frames, request.fps, source_fps)[-1] < have:
        return timing
    # Counted from packets alone, a damaged file named .png was "a video of 1 frame": too short, not unreadable.
    first = media.decode_frames(request.source_video or "", timing, lambda frame: None)
    try:
        next(first, None)
    finally:
        first.close()
    # The most output frames whose last one still falls on a frame of the source, on the model's lattice.
    fits = max(0, math.ceil(have * request.fps / source_fps - 1e-6))
    usable = (fits - rules.frame_offset) // rules.frame_step * rules.frame_step + rules.frame_offset
    if rules.max_frames is not None:
        usable = min(usable, rules.max_frames)
    # One frame is a still, not a video: "ask for 1 frame or fewer" was no way out. The fewest a
    # restyle takes is said instead, with how long a clip they need (their last frame inside it).
    least = fewest_frames(rules)
    ask = (
        f"ask for {_frames(usable)} or fewer, or give a longer video"
        if usable >= least
        else f"the fewest this model makes, {_frames(least)} at {request.fps:g} fps, need a clip "
        f"longer than {(least - 1) / request.fps:.2f} s: give a longer video"
    )
    raise InvalidRequest(
        f"source_video: {request.source_video} lasts {have / source_fps:.2f} s ({_frames(have)} at "
        f"{source_fps:g} fps), and {request.num_frames} frames at {request.fps:g} fps take "
        f"{request.num_frames / request.fps:.2f} s of it; {ask}",
        param="source_video",
    )


def fewest_frames(rules: SizeRules) -> int:
    """The fewest frames a clip of the model can have that still move (two or more), on its lattice."""
    steps = max(0, math.ceil((max(rules.min_frames, 2) - rules.frame_offset) / rules.frame_step))
    return rules.frame_offset + steps * rules.frame_step


def _frames(count: int) -> str:
    """A count with its noun: 1 frame, 9 frames."""
    return f"{count} frame{'s' * (count != 1)}"


def source_frames(request: ResolvedRequest, rules: SizeRules) -> list[Any]:
    """The source clip at the output's frame rate from its start, ``num_frames`` frames fitted to the size."""
    from reelgen.core import media

    timing = check_long_enough(request, rules)
    index = picked(request.num_frames, request.fps, float(timing.fps))
    # The timing just read, not read_video's own pass over the packets (and no sound: it is not used).
    from reelgen.core.model_frames import ModelRgb

    # In sRGB, as the model takes it: an HDR clip read as it is reached the model flat and washed out.
    path = request.source_video or ""
    decoded = media.decode_frames(path, timing, ModelRgb("source_video", path))
    try:
        frames = list(itertools.islice(decoded, int(index[-1]) + 1))
    finally:
        decoded.close()
    if len(frames) <= index[-1]:  # fewer decoded than its packets said: the decode is the final word
        raise InvalidRequest(
            f"source_video: {request.source_video} has only {len(frames)} readable frames, "
            f"{request.num_frames} frames at {request.fps:g} fps need {index[-1] + 1}; give a longer video",
            param="source_video",
        )
    from reelgen.core.enhance.mux import display_rotation, upright

    # A phone's portrait clip is stored sideways: restyled as stored, it came out lying on its side.
    turned = display_rotation(request.source_video or "")
    shown = np.stack([upright(frame, turned) for frame in np.stack(frames)[index]])
    return media.fit_video(Video(shown, timing.fps), request.width, request.height)
