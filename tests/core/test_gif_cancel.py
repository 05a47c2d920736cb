"""A Ctrl-C while a GIF is encoded (two passes after the last frame is made) stops the run and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.enhance.files import enhance_file
from reelgen.core.errors import Cancelled
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.spec.request import EnhanceStep
from tests.cli.test_enhance_sound import _clip

UPSCALE = [EnhanceStep(name="lanczos", options={"scale": 2})]


def test_a_cancel_after_the_last_frame_stops_an_enhance_to_gif_and_keeps_the_earlier_one(
    tmp_path: Path,
) -> None:
    # The person pressed Ctrl-C as the last frame was upscaled and was told "cancelling at the next
    # step"; the GIF's palette and encode passes still ran to the end (minutes on a long clip) and
    # replaced out.gif, exiting 0.
    source, out = _clip(tmp_path / "in.mp4", [], frames=8), tmp_path / "out.gif"
    enhance_file(source, out, UPSCALE)
    before, record = out.read_bytes(), out.with_suffix(".json").read_text()
    progress = Progress()

    def cancel_at_the_last_frame(event: ProgressEvent) -> None:
        if event.stage == "upscale" and event.total and event.step == event.total:
            progress.cancel.cancel("cancelled with Ctrl-C")

    progress.on_event = cancel_at_the_last_frame
    with pytest.raises(Cancelled):
        enhance_file(source, out, [EnhanceStep(name="lanczos", options={"scale": 3})], progress=progress)
    assert out.read_bytes() == before and out.with_suffix(".json").read_text() == record
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.mp4", "out.gif", "out.json"]
