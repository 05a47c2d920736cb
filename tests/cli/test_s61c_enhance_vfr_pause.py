"""`reelgen enhance` on a clip that pauses for seconds (a screen recording, a phone held still): every frame kept."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()
RATE = 48000


def _paused_clip(path: Path) -> Path:
    """30 fps for 0.1 s, nothing new for 5 s, 30 fps for 0.1 s again (a recorder writes frames only when
    the screen changes), on a phone's 90 kHz clock, with sound all along."""
    base = Fraction(1, 90000)
    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=30)
        video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        video.time_base = video.codec_context.time_base = base
        sound = container.add_stream("aac", rate=RATE, layout="mono")
        for k, seconds in enumerate([0, 1 / 30, 2 / 30, 5, 5 + 1 / 30, 5 + 2 / 30]):
            image = np.full((48, 64, 3), 20 + 25 * k, np.uint8)
            image[:, 8 * k : 8 * k + 8] = 255  # a bar that moves: each frame differs from the one before
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts, frame.time_base = round(Fraction(seconds) / base), base
            container.mux(video.encode(frame))
        container.mux(video.encode())
        samples = (0.3 * np.sin(np.arange(RATE * 5 + RATE // 10) * 0.05))[None].astype(np.float32)
        chunk = av.AudioFrame.from_ndarray(samples, format="fltp", layout="mono")
        chunk.sample_rate, chunk.pts, chunk.time_base = RATE, 0, Fraction(1, RATE)
        container.mux(sound.encode(chunk))
        container.mux(sound.encode())
    return path


def test_a_clip_with_a_long_pause_keeps_every_frame_at_its_rate(tmp_path: Path) -> None:
    source, out = _paused_clip(tmp_path / "screen.mp4"), tmp_path / "out.mp4"
    args = ["enhance", str(source), "-o", str(out), "--interpolate", "2", "--interpolator", "flow"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    # Its average, 6 frames in 5.07 s, was taken for its rate: the 30 fps moments were shown at
    # 1.17 fps, 4 of the 6 frames were left out, and the picture was up to 0.85 s off the sound.
    assert "left out" not in said
    assert "at a constant 30 fps (153 frames)" in said
    record = json.loads(out.with_suffix(".json").read_text())
    assert record["input"]["variable_rate"] == {"source_frames": 6, "resampled_to": "30", "frames": 153}
    assert (record["output"]["fps"], record["output"]["frames"]) == ("60", 305)
    with av.open(str(out)) as container:
        bars = [
            int(np.argmax(frame.to_ndarray(format="rgb24")[24, :, 0] > 200)) // 8
            for frame in container.decode(video=0)
        ]
    # Every source frame is shown, each from its own time: the last three at 5 s on, as the sound has them.
    assert sorted(set(bars)) == [0, 1, 2, 3, 4, 5]
    assert bars.index(3) == 2 * 150
