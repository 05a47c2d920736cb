"""A clip's sound as reelgen reads it: every channel, in -1..1, as long as it lasts, whatever its codec."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from reelgen.core.media import read_audio

RATE = 48_000


def _write(path: Path, codec: str, fmt: str, left: np.ndarray, right: np.ndarray) -> None:
    """A stereo track of ``left`` and ``right`` (floats in -1..1) in ``codec``, samples as ``fmt``."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=RATE, layout="stereo")
        planar = np.stack([left, right]).astype(np.float32)
        frame = av.AudioFrame.from_ndarray(planar, format="fltp", layout="stereo")
        frame.rate = RATE
        resampler = av.AudioResampler(format=fmt, layout="stereo", rate=RATE)
        for out in [*resampler.resample(frame), *resampler.resample(None)]:
            for packet in stream.encode(out):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


@pytest.mark.parametrize(
    ("suffix", "codec", "fmt"), [(".wav", "pcm_s16le", "s16"), (".mov", "pcm_s24le", "s32")]
)
def test_a_stereo_track_of_integer_samples_reads_as_two_channels_of_its_own_values(
    tmp_path: Path, suffix: str, codec: str, fmt: str
) -> None:
    # Packed integers were read as they came: one channel twice as long, at full scale (a buzz).
    t = np.arange(RATE) / RATE
    left, right = 0.5 * np.sin(2 * np.pi * 440 * t), 0.25 * np.sin(2 * np.pi * 660 * t)
    path = tmp_path / f"tone{suffix}"
    _write(path, codec, fmt, left, right)
    audio = read_audio(path)
    assert audio is not None and audio.sample_rate == RATE
    assert audio.samples.shape == (2, RATE)
    assert np.abs(audio.samples[0] - left).max() < 1e-3 and np.abs(audio.samples[1] - right).max() < 1e-3
