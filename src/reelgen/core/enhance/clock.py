"""How the output's container times its frames: the rates it can hold, and the rate and time scale it is told."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from reelgen.core.errors import InvalidRequest

#: Containers whose clock ticks in milliseconds: FFmpeg's Matroska muxer (MKV and WebM) writes no finer one.
MILLISECONDS = (".mkv", ".webm")
#: Containers whose edit list hides the part of a packet before the picture's first frame.
EDIT_LISTS = (".mp4", ".mov")


def check_rate(output: Path, fps: Fraction) -> None:
    """Refuse, before any work, a rate of more than a frame a millisecond into an MKV or WebM.

    There, at 4000 fps four frames shared each millisecond's time, and players show one frame
    per time; MP4 and MOV count time in as fine steps as the rate needs.
    """
    if output.suffix.lower() in MILLISECONDS and fps > 1000:
        raise InvalidRequest(
            f"output {output}: {float(fps):g} fps is more than an MKV or WebM can time: Matroska counts "
            "time in whole milliseconds, so frames would share a time and players would skip them; write "
            ".mp4 or .mov, or ask for at most 1000 fps",
            param="output",
        )


def muxer_options(suffix: str, options: dict[str, str], picture: Any) -> dict[str, str]:
    """The container's muxer ``options``; for MP4 and MOV above 1000 fps, the movie timed on the picture's clock.

    Their edit lists (how long each track plays) count the movie's time scale, FFmpeg's default
    1000 a second: at 4000 fps a 5.25 ms clip was said to last 5 ms, and players stopped there, the
    last frame in the file but never shown. At 1000 fps or less what rounding cuts off is less than
    a frame, and those files are written as before.
    """
    video = picture.streams.video[0]
    if suffix not in EDIT_LISTS or not video.average_rate or video.average_rate <= 1000:
        return options
    return {**options, "movie_timescale": str(Fraction(video.time_base).denominator)}


def say_rate(stream: Any, record: dict[str, Any]) -> None:
    """Give the copied picture ``stream`` the record's exact rate, which Matroska writes as each frame's
    length: a template's stream has none, and a WebM said no rate (players guessed 48 for 48000/1001
    from its millisecond stamps, and an enhance of it doubled 48)."""
    fps = (record.get("output") or {}).get("fps")
    if fps:
        stream.codec_context.framerate = Fraction(str(fps))
