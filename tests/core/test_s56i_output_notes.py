"""An export says before it starts what enhance says: a GIF taking another video's record (NAME.json), and
a GIF so big it takes minutes to make."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import Cancelled
from reelgen.core.export import ExportSettings, export
from reelgen.core.progress import Progress, ProgressEvent
from tests.core.test_export import RED, _segments, clip

TAKES = "warning: out.json, the record of out.mp4, becomes out.gif's; out.mp4 still carries its own inside it"


def _said(events: list[ProgressEvent]) -> str:
    return "\n".join(e.message for e in events if e.message)


def test_an_export_to_a_gif_beside_a_film_says_it_takes_the_films_record(tmp_path: Path) -> None:
    segments = _segments([clip(tmp_path / "red.mp4", RED)])
    export(segments, ExportSettings(), tmp_path / "out.mp4")
    events: list[ProgressEvent] = []
    export(segments, ExportSettings(), tmp_path / "out.gif", progress=Progress(on_event=events.append))
    assert TAKES in _said(events)


def test_a_big_gif_export_is_said_before_it_is_drawn(tmp_path: Path) -> None:
    segments = _segments([clip(tmp_path / "red.mp4", RED)], seconds=3.0)
    settings = ExportSettings(width=2048, height=1024, fps=24)  # 72 frames of 2 megapixels
    said: list[str] = []

    def on_event(event: ProgressEvent) -> None:
        said.append(event.message)
        if event.total:  # the drawing began: a word of the big GIF came before it or not at all
            raise Cancelled("stopped at the first frame")

    with pytest.raises(Cancelled):
        export(segments, settings, tmp_path / "big.gif", progress=Progress(on_event=on_event))
    big = [m for m in said if "will be a big GIF" in m]
    assert len(big) == 1 and big[0].startswith(
        "warning: big.gif will be a big GIF: 72 frames of 2048x1024 (151 "
    )
    # Not enhance's "give a smaller --upscale": an export has none.
    assert big[0].endswith("is a fraction of the size and time, or give a smaller export.width or export.fps")
    assert not (tmp_path / "big.gif").exists()
