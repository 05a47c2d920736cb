"""`reelgen enhance` to rates above 1000 fps: every frame plays from an MP4 or MOV; Matroska is refused."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from tests.core.enhance_media import pan

runner = CliRunner()


def _fast_clip(path: Path, frames: int) -> Path:
    """A lossless (PNG-in-MOV) pan of ``frames`` at 1000 fps: x264 puts B-frames in what is made of it."""
    images = np.rint(pan(frames, (6, 4), size=(64, 48))).astype(np.uint8)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("png", rate=1000)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "rgb24"
        for image in images:
            container.mux(stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")))
        container.mux(stream.encode())
    return path


def _enhance(source: Path, out: Path) -> tuple[int, str]:
    args = ["enhance", str(source), "-o", str(out), "--interpolate", "4", "--interpolator", "flow", "-q"]
    result = runner.invoke(app, args)
    return result.exit_code, result.output


@pytest.mark.parametrize("suffix", [".mp4", ".mov"])
def test_a_1000_fps_clip_times_4_plays_every_frame(tmp_path: Path, suffix: str) -> None:
    # A slow-motion camera's 1000 fps, x4: 4000 fps. The edit list was timed in milliseconds, so a player
    # stopped at 5 ms, and the last of the 21 frames were in the file but never shown.
    source = _fast_clip(tmp_path / "fast.mov", 6)
    out = tmp_path / f"out{suffix}"
    code, said = _enhance(source, out)
    assert code == 0, said
    with av.open(str(out)) as container:
        stream = container.streams.video[0]
        times = [frame.time for frame in container.decode(stream)]
        assert stream.average_rate == 4000
    assert len(times) == 21
    assert times[-1] == pytest.approx(20 / 4000)


@pytest.mark.parametrize("suffix", [".mkv", ".webm"])
def test_matroska_above_1000_fps_is_refused_before_any_work(tmp_path: Path, suffix: str) -> None:
    # Matroska times frames in whole milliseconds: at 4000 fps four frames shared each time.
    source = _fast_clip(tmp_path / "fast.mov", 3)
    out = tmp_path / "new" / f"out{suffix}"
    code, said = _enhance(source, out)
    assert code == 2
    assert "4000 fps" in said and "millisecond" in said and ".mp4" in said and ".mov" in said
    assert "Traceback" not in said
    assert not out.parent.exists()  # nothing made, not even the folder
