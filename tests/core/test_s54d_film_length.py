"""A film lasts the sum of its scenes less its transitions, to the nearest frame: each length rounded to
frames alone added up its rounding (four 1 s scenes with three 0.25 s dissolves were 3.20 s at 30 fps,
3.12 s at 12.5 fps, for 3.25 s)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from reelgen.core.export import ExportSettings, Segment, TitleCard, Transition, export
from reelgen.core.export.timeline import layout
from reelgen.core.media import read_video


def _scenes(seconds: float, count: int, into: float) -> list[Segment]:
    card = TitleCard(text="A")
    return [
        Segment(
            f"scene 's{i}' (scenes[{i}])",
            seconds,
            card=card,
            transition=Transition(type="dissolve" if i < count - 1 else "cut", duration=into),
            param=f"scenes[{i}]",
        )
        for i in range(count)
    ]


@pytest.mark.parametrize(
    ("seconds", "count", "into", "fps"),
    [
        (1.0, 4, 0.25, Fraction(30)),
        (1.0, 4, 0.25, Fraction(25, 2)),
        (0.7, 5, 0.1, Fraction(24)),
        (1.3, 6, 0.45, Fraction(30000, 1001)),
    ],
)
def test_the_film_lasts_the_scenes_less_the_transitions(
    seconds: float, count: int, into: float, fps: Fraction
) -> None:
    lay = layout(_scenes(seconds, count, into), fps)
    scene, overlap = Fraction(str(seconds)), Fraction(str(into))  # as typed: 0.7, not the float's 0.6999...
    asked = scene * count - overlap * (count - 1)
    assert abs(lay.total - asked * fps) <= Fraction(1, 2), f"{lay.seconds:.3f}s for {float(asked):.3f}s"
    # Each scene still lasts its own length to within a frame, and starts where the one before hands over.
    for i, frames in enumerate(lay.frames):
        assert abs(frames - scene * fps) < 1
        assert lay.start(i) == round((scene - overlap) * i * fps)


def test_the_exported_file_lasts_the_scenes_less_the_transitions(tmp_path: Path) -> None:
    out = export(_scenes(1.0, 4, 0.25), ExportSettings(width=64, height=64, fps=30), tmp_path / "film.mp4")
    assert len(read_video(out.path).frames) == 98  # 3.25 s at 30 fps is 97.5 frames: 3.27 s, not 3.20 s
