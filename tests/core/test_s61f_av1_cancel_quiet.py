"""An AV1 export stopped with Ctrl-C says only that it was cancelled: libsvtav1, closed mid-film, printed
"Svt[error]: deinit called without sending EOS!" to the terminal under reelgen's own line."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import Cancelled
from reelgen.core.export.codecs import has_encoder
from reelgen.core.export.settings import ExportSettings
from reelgen.core.export.timeline import Segment
from reelgen.core.export.write import export
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.project.model import TitleCard

pytestmark = pytest.mark.skipif(not has_encoder("libsvtav1"), reason="this FFmpeg has no libsvtav1")


def test_a_cancelled_av1_export_leaves_the_terminal_quiet(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    progress = Progress()

    def ctrl_c_at_frame_twenty(event: ProgressEvent) -> None:
        if event.stage == "export" and event.step >= 20:
            progress.cancel.cancel("cancelled with Ctrl-C")

    progress.on_event = ctrl_c_at_frame_twenty
    segments = [Segment("a", 2.0, card=TitleCard(text="A")), Segment("b", 2.0, card=TitleCard(text="B"))]
    settings = ExportSettings(container="mkv", codec="av1", width=160, height=96, fps=24)
    capfd.readouterr()
    with pytest.raises(Cancelled, match="cancelled with Ctrl-C; no file was written"):
        export(segments, settings, tmp_path / "film.mkv", progress=progress)
    said = capfd.readouterr()
    assert "Svt[" not in said.err + said.out, said.err
    assert not (tmp_path / "film.mkv").exists()
