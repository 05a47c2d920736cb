"""A cut followed by a transition (one scene cut into the next, which dissolves into a third) exports."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.export import ExportSettings, Segment, TitleCard, Transition, export
from reelgen.core.media import read_video


@pytest.mark.parametrize("kind", ["dissolve", "wipe_left", "fade"])
def test_a_cut_then_a_transition_exports_and_blends(tmp_path: Path, kind: str) -> None:
    # concat's output (microseconds) met xfade's other input (1/fps): "internal error (ArgumentError:
    # Invalid argument returned 22)" for any storyboard with a cut before a transition.
    def card(colour: str, transition: Transition | None = None) -> Segment:
        return Segment(
            colour, 1.0, card=TitleCard(text=" ", background=colour), transition=transition or Transition()
        )

    segments = [card("#c81e1e"), card("#1ec81e", Transition(type=kind, duration=0.5)), card("#1e1ec8")]
    result = export(segments, ExportSettings(width=32, height=32, fps=8), tmp_path / "f.mp4")
    assert result.frames == 8 + 8 + 8 - 4
    film = read_video(result.path).frames
    assert len(film) == 20
    red, green, blue = (film[i][16, 16].astype(int) for i in (0, 9, 19))
    assert red[0] > 150 and green[1] > 150 and blue[2] > 150
