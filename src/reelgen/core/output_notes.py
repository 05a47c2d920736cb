"""Warnings said before a video is written: its record takes another video's, or it will be a big GIF."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from reelgen.core.gif import SMALLER, is_gif, shown, size_note
from reelgen.core.record_owner import replaced_note


def before_writing(
    output: Path, frames: int, size: tuple[int, int], fps: Fraction, smaller: str = SMALLER
) -> list[str]:
    """The ``warning:`` lines for writing ``frames`` of ``size`` (width, height) at ``fps`` to ``output``;
    ``smaller`` says how to make a big GIF smaller (``gif.size_note``).

    ``reelgen enhance`` said both; ``generate -o out.gif`` beside an earlier out.mp4 replaced out.mp4's
    ``out.json`` without a word, and a GIF of hundreds of megapixels took many minutes unannounced.
    Not a refusal: videos that differ only in their container share one ``NAME.json`` (README), and
    each carries its own record inside it.
    """
    size = (size[0] + size[0] % 2, size[1] + size[1] % 2)  # every container's sides are even
    notes = [note] if (note := replaced_note(output)) else []
    if is_gif(output) and (big := size_note(output, shown(frames, fps), size, smaller)):
        notes.append(f"warning: {big}")
    return notes
