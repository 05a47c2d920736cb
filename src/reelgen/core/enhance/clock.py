"""Whether the output's container can time the frame rate asked for: Matroska counts whole milliseconds."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from reelgen.core.errors import InvalidRequest

#: Containers whose clock ticks in milliseconds: FFmpeg's Matroska muxer (MKV and WebM) writes no finer one.
MILLISECONDS = (".mkv", ".webm")


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
