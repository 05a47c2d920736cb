"""A text no frame of the film would show is refused, naming it, rather than left out without a word."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.export import ExportSettings, Segment, TextOverlay, TitleCard, export

CARD = [Segment("one", 1.0, card=TitleCard(text="One"))]


def test_a_text_between_two_frames_is_refused(tmp_path: Path) -> None:
    # 0.01 s to 0.05 s at 12 fps holds no frame's time (0 and 0.083): the film came out without it.
    settings = ExportSettings(
        width=32, height=32, fps=12, texts=[TextOverlay(text="hi", start=0.01, end=0.05)]
    )
    with pytest.raises(InvalidRequest) as refused:
        export(CARD, settings, tmp_path / "f.mp4")
    assert refused.value.param == "export.texts[0].end"
    assert refused.value.message == (
        "export.texts[0]: shown from 0.01s to 0.05s, it falls between two frames at the film's 12 fps and "
        "would never be seen; make it at least 0.0833s long, or start it at 0.08333s"
    )
    assert not (tmp_path / "f.mp4").exists()


@pytest.mark.parametrize(("start", "end"), [(0.0, 0.05), (0.05, 0.09), (0.5, 0.6)])
def test_a_short_text_on_a_frame_is_taken(tmp_path: Path, start: float, end: float) -> None:
    settings = ExportSettings(
        width=32, height=32, fps=12, texts=[TextOverlay(text="hi", start=start, end=end)]
    )
    assert export(CARD, settings, tmp_path / "f.mp4").frames == 12
