"""A film of many scenes joined by cuts exports in time that grows with its length, frame for frame right."""

from __future__ import annotations

import time
from pathlib import Path

from reelgen.core.export import ExportSettings, Segment, TitleCard, Transition, export
from reelgen.core.media import read_video

COLOURS = ("#c81e1e", "#1ec81e", "#1e1ec8")


def _cards(count: int) -> list[Segment]:
    def card(i: int) -> Segment:
        # One dissolve half-way: a run of 250 cuts on either side of it.
        transition = Transition(type="dissolve", duration=0.25) if i == 250 else Transition()
        return Segment(
            f"c{i}", 0.5, card=TitleCard(text=" ", background=COLOURS[i % 3]), transition=transition
        )

    return [card(i) for i in range(count)]


def test_five_hundred_cuts_export_in_seconds_of_cpu(tmp_path: Path) -> None:
    # Each cut nested the film so far in a concat of two, and every frame went down the chain:
    # 500 cards cut together took 30 s of CPU (600 took 4 minutes of wall time), now about 3.
    segments = _cards(500)
    began = time.process_time()
    result = export(segments, ExportSettings(width=16, height=16, fps=4), tmp_path / "f.mp4")
    spent = time.process_time() - began
    dissolves = sum(1 for s in segments if s.transition.type.value == "dissolve")
    assert result.frames == 500 * 2 - dissolves
    assert spent < 12, f"{spent:.1f} s of CPU for 500 scenes"
    film = read_video(result.path).frames
    assert len(film) == result.frames
    # Scene 0 is red, scene 1 green (after a cut); scene 251 (after the dissolve) on its last frame, and
    # the last scene on the film's last frame: nothing dropped or repeated across the runs of cuts.
    assert film[0][8, 8].argmax() == 0 and film[2][8, 8].argmax() == 1
    assert film[252 * 2 - 1 - 1][8, 8].argmax() == 251 % 3
    assert film[-1][8, 8].argmax() == 499 % 3
