"""Exports at a rate that is not a whole number (NTSC 29.97, 23.976; 12.5) last as long as the timeline."""

from __future__ import annotations

from pathlib import Path

import av
import pytest

from reelgen.core.export import ExportSettings, Segment, TitleCard, export


@pytest.mark.parametrize("fps", [29.97, 23.976, 12.5])
def test_a_title_card_lasts_its_frames_at_a_fractional_rate(tmp_path: Path, fps: float) -> None:
    # At 29.97 a card's timebase was written "1/30000/1001": its frames fell a microsecond apart, the fps
    # filter kept none, and the export failed with "a clip could not be decoded to its end".
    out = tmp_path / "card.mp4"
    result = export([Segment("card", 1.0, card=TitleCard(text="One"))], ExportSettings(fps=fps), out)
    assert result.frames == round(fps)
    with av.open(str(out)) as container:
        stream = container.streams.video[0]
        assert sum(1 for _ in container.decode(stream)) == round(fps)
        assert float(stream.average_rate) == pytest.approx(fps, abs=1e-3)
