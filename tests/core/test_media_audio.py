"""A clip's sound as reelgen reads it: every channel, in -1..1, as long as it lasts, whatever its codec."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from reelgen.core.audio_track import read_audio

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


@pytest.mark.parametrize("rate", [16_000, 22_050, 44_100])
@pytest.mark.parametrize("suffix", [".mp4", ".webm"])
def test_the_sound_reelgen_writes_starts_on_time_and_lasts_as_long_as_given(
    tmp_path: Path, rate: int, suffix: str
) -> None:
    # AAC's priming and its last, part-filled frame (Opus's too) must move nothing: the sound is as long
    # as the samples given, give or take the padding of one codec frame (1024 samples) at the end.
    from fractions import Fraction

    from reelgen.core.encode import write_video
    from reelgen.core.types import Audio, Video

    seconds = 2.37
    samples = np.zeros(round(rate * seconds), np.float32)
    samples[rate // 2 : rate // 2 + rate // 100] = 0.8  # a click of 10 ms at 0.5 s
    path = tmp_path / f"clip{suffix}"
    write_video(Video(np.zeros((57, 32, 32, 3), np.uint8), Fraction(24), Audio(samples[None], rate)), path)
    audio = read_audio(path)
    assert audio is not None
    heard = audio.samples.shape[1] / audio.sample_rate
    assert len(samples) - 1 <= heard * rate < len(samples) + 1024, heard  # a sample's rounding at most
    click = int(np.argmax(np.abs(audio.samples[0]) > 0.4)) / audio.sample_rate
    assert abs(click - 0.5) < 0.002, click
    if suffix == ".mp4":  # the container says the length exactly: players stop there
        with av.open(str(path)) as container:
            stream = container.streams.audio[0]
            assert stream.duration is not None and stream.time_base is not None
            assert abs(stream.duration * stream.time_base - Fraction(len(samples), rate)) <= Fraction(1, rate)
