"""`reelgen enhance` on a phone's clip: frames stamped a few milliseconds off a steady 30 fps, on a fine clock."""

from __future__ import annotations

import json
import random
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from typer.testing import CliRunner

from reelgen.cli import app
from tests.core.enhance_media import pan

runner = CliRunner()
RATE = 48000


def _phone_clip(
    path: Path, clock: int, frames: int = 30, fps: Fraction = Fraction(30), jitter_ms: float = 4.0
) -> Path:
    """``frames`` of a pan at about ``fps`` (said to be 30), each stamped up to ``jitter_ms`` late on a
    1/``clock`` s clock, with as much sound as the picture lasts."""
    base, shake = Fraction(1, clock), random.Random(7)
    images = np.rint(pan(frames, (4, 2), size=(64, 48))).astype(np.uint8)
    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=30)
        video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        video.time_base = video.codec_context.time_base = base  # the encoder keeps each stamp as given
        sound = container.add_stream("aac", rate=RATE, layout="mono")
        for k, image in enumerate(images):
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            late = Fraction(shake.uniform(0, jitter_ms / 1000)) if k else 0  # the first at 0, as the sound
            frame.pts = round((k / fps + late) / base)
            frame.time_base = base
            container.mux(video.encode(frame))
        container.mux(video.encode())
        t = np.arange(round(RATE * frames / fps)) / RATE
        samples = (0.3 * np.sin(2 * np.pi * 440 * t))[None].astype(np.float32)
        chunk = av.AudioFrame.from_ndarray(samples, format="fltp", layout="mono")
        chunk.sample_rate, chunk.pts, chunk.time_base = RATE, 0, Fraction(1, RATE)
        container.mux(sound.encode(chunk))
        container.mux(sound.encode())
    return path


def _timing(path: Path) -> tuple[Fraction, int, float, float]:
    """The video's average rate, frame count and last frame's time, and the sound's length, in seconds."""
    with av.open(str(path)) as container:
        video, sound = container.streams.video[0], container.streams.audio[0]
        stamps = [frame.time for frame in container.decode(video)]
        return Fraction(video.average_rate), len(stamps), stamps[-1], float(sound.duration * sound.time_base)


def _enhance(source: Path, out: Path, factor: int) -> dict[str, dict[str, object]]:
    args = [
        "enhance",
        str(source),
        "-o",
        str(out),
        "--interpolate",
        str(factor),
        "--interpolator",
        "flow",
        "-q",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    record: dict[str, dict[str, object]] = json.loads(out.with_suffix(".json").read_text())
    return record


def test_a_jittery_30_fps_clip_doubles_to_an_exact_rate_in_step_with_its_sound(tmp_path: Path) -> None:
    # The phone says 30 fps; its frames come a little slower.
    source, out = _phone_clip(tmp_path / "phone.mp4", 90000, fps=Fraction(2990, 100)), tmp_path / "out.mp4"
    record = _enhance(source, out, 2)
    rate, frames, last, heard = _timing(source)
    assert "variable_rate" not in record["input"]  # a few ms of jitter: every frame on its own tick
    # The average rate, not the container's guess of 30, so the picture lasts as long as the sound.
    assert Fraction(str(record["input"]["fps"])) == rate != 30
    assert Fraction(str(record["output"]["fps"])) == 2 * Fraction(str(record["input"]["fps"]))
    out_rate, out_frames, out_last, out_heard = _timing(out)
    assert (out_rate, out_frames) == (Fraction(str(record["output"]["fps"])), 2 * frames - 1)
    # The last frame shows when the source's did, and the sound is the source's own.
    assert abs(out_last - last) < 1 / float(rate) and out_heard == heard


def test_a_long_clips_fine_clock_does_not_overflow_the_rate(tmp_path: Path) -> None:
    # A clock of ~1 GHz (a 90 kHz clock over some minutes does the same) gave an average rate of
    # 1176839537/39452914: x4 of it did not fit FFmpeg's 32-bit rationals, an internal error.
    source, out = _phone_clip(tmp_path / "phone.mp4", 999_999_937), tmp_path / "out.mp4"
    record = _enhance(source, out, 4)
    rate, frames, last, heard = _timing(source)
    out_rate, out_frames, out_last, out_heard = _timing(out)
    assert out_frames == 4 * (frames - 1) + 1 and abs(out_rate / rate - 4) < 1e-6
    assert Fraction(str(record["output"]["fps"])) == out_rate
    assert abs(out_last - last) < 1 / float(rate) and out_heard == heard
