"""A Ctrl-C while a Ken Burns clip is filmed or encoded stops it and keeps the earlier clip and record."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from reelgen.core import encode
from reelgen.core.errors import Cancelled
from reelgen.core.motion import CameraPath, Rect
from reelgen.core.motion.kenburns import KenBurnsRequest, render_ken_burns
from reelgen.core.progress import Progress, ProgressEvent


def _request(tmp_path: Path, start: Rect) -> KenBurnsRequest:
    image = tmp_path / "still.png"
    if not image.exists():
        # A gradient, so that two paths give different frames (not only different records).
        ramp = np.linspace(0, 255, 320, dtype=np.uint8)
        Image.fromarray(np.stack([np.tile(ramp, (240, 1))] * 3, axis=-1)).save(image)
    path = CameraPath(start=start, end=Rect(x=start.x + 8, y=start.y + 6, width=240, height=180))
    return KenBurnsRequest(image=str(image), path=path, width=64, height=48, num_frames=8, fps=8.0)


def _cancel_at_the_last_frame(progress: Progress, monkeypatch: pytest.MonkeyPatch) -> None:
    def on_event(event: ProgressEvent) -> None:
        if event.stage == "ken_burns" and event.total and event.step == event.total:
            progress.cancel.cancel("cancelled with Ctrl-C")

    progress.on_event = on_event


def _cancel_during_the_encode(progress: Progress, monkeypatch: pytest.MonkeyPatch) -> None:
    encode_into = encode.encode_into

    def cancelled_midway(*args: Any, **kwargs: Any) -> None:
        progress.cancel.cancel("cancelled with Ctrl-C")
        encode_into(*args, **kwargs)

    monkeypatch.setattr(encode, "encode_into", cancelled_midway)


@pytest.mark.parametrize("suffix", [".mp4", ".gif"])
@pytest.mark.parametrize("when", [_cancel_at_the_last_frame, _cancel_during_the_encode])
def test_a_cancel_stops_a_ken_burns_clip_and_keeps_the_earlier_one(
    suffix: str,
    when: Callable[[Progress, pytest.MonkeyPatch], None],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A batch of ken-burns items stopped with Ctrl-C (or a Ken Burns job cancelled on a server) said
    # "cancelling", then the clip was still encoded and replaced out.mp4 and its record.
    out = tmp_path / f"out{suffix}"
    render_ken_burns(_request(tmp_path, Rect(x=0, y=0, width=240, height=180)), out)
    before, record = out.read_bytes(), out.with_suffix(".json").read_text()
    progress = Progress()
    when(progress, monkeypatch)
    with pytest.raises(Cancelled):
        render_ken_burns(_request(tmp_path, Rect(x=40, y=30, width=240, height=180)), out, progress=progress)
    assert out.read_bytes() == before and out.with_suffix(".json").read_text() == record
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([out.name, "out.json", "still.png"])
