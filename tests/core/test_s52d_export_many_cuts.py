"""A film of many scenes joined by cuts is joined by one ``concat`` per run of cuts, frame for frame right.

Each cut nested the film so far in a concat of two, and every frame went down the whole chain: 500
title cards cut together took 30-35 s of CPU and 600 about four minutes (measured by the commit that
changed it); with one concat per run, 500 took about 3 s.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reelgen.core.export import ExportSettings, Segment, TitleCard, Transition, export
from reelgen.core.export.graph import Builder
from reelgen.core.media import read_video

COLOURS = ("#c81e1e", "#1ec81e", "#1e1ec8")


def _cards(count: int, dissolve_at: int) -> list[Segment]:
    def card(i: int) -> Segment:
        transition = Transition(type="dissolve", duration=0.25) if i == dissolve_at else Transition()
        return Segment(
            f"c{i}", 0.5, card=TitleCard(text=" ", background=COLOURS[i % 3]), transition=transition
        )

    return [card(i) for i in range(count)]


def test_each_run_of_cuts_is_one_concat_and_no_frame_is_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    joins: list[tuple[str, int]] = []
    real_join = Builder.join

    def join(self: Builder, name: str, heads: list[Any], **options: object) -> Any:
        joins.append((name, len(heads)))
        return real_join(self, name, heads, **options)

    monkeypatch.setattr(Builder, "join", join)
    # One dissolve after scene 20: a run of 21 cut scenes before it, 19 after.
    segments = _cards(40, dissolve_at=20)
    result = export(segments, ExportSettings(width=16, height=16, fps=4), tmp_path / "f.mp4")
    pictures = [n for name, n in joins if name == "concat" and n > 1]
    assert sorted(pictures)[-2:] == [19, 21], joins  # sound's concats, if any, join the same runs
    assert ("concat", 2) not in joins
    assert result.frames == 40 * 2 - 1
    film = read_video(result.path).frames
    assert len(film) == result.frames
    # Scene 0 is red, scene 1 green (after a cut); scene 21 (after the dissolve) on its last frame, and
    # the last scene on the film's last frame: nothing dropped or repeated across the runs of cuts.
    assert film[0][8, 8].argmax() == 0 and film[2][8, 8].argmax() == 1
    assert film[22 * 2 - 1 - 1][8, 8].argmax() == 21 % 3
    assert film[-1][8, 8].argmax() == 39 % 3
