"""Checking an uploaded voice costs work in proportion to its length: a long MP3 took seconds of the API host's CPU."""

from __future__ import annotations

import io
from typing import Any

import av
import numpy as np
import pytest

from reelgen.api.avatar_inputs import probe_audio


class _Counted(np.ndarray):
    """A decoded chunk that counts how often its length is read."""

    reads = 0

    @property
    def size(self) -> int:  # type: ignore[override]
        _Counted.reads += 1
        return int(np.ndarray.size.__get__(self))


def _mp3(seconds: float) -> bytes:
    """A wavering tone as a 44.1 kHz MP3: 1,152 samples a frame, so many small decoded frames."""
    rate = 44_100
    t = np.arange(int(rate * seconds)) / rate
    tone = (0.3 * np.sin(2 * np.pi * 220 * t) * (1 + np.sin(2 * np.pi * 3 * t)) / 2).astype(np.float32)
    buf = io.BytesIO()
    with av.open(buf, "w", format="mp3") as out:
        stream = out.add_stream("libmp3lame", rate=rate, layout="mono")
        frame = av.AudioFrame.from_ndarray(tone[None], format="flt", layout="mono")
        frame.sample_rate = rate
        resampler = av.AudioResampler(format=stream.codec_context.format.name, layout="mono", rate=rate)
        for piece in resampler.resample(frame):
            for packet in stream.encode(piece):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buf.getvalue()


def test_a_long_voice_is_checked_in_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    real = av.AudioResampler
    pieces = 0

    class Piece:
        def __init__(self, frame: Any) -> None:
            self.frame = frame

        def to_ndarray(self) -> np.ndarray:
            nonlocal pieces
            pieces += 1
            return np.asarray(self.frame.to_ndarray()).view(_Counted)

    class Resampler:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self.real = real(*args, **kwargs)

        def resample(self, frame: Any) -> list[Piece]:
            return [Piece(f) for f in self.real.resample(frame)]

    data = _mp3(60.0)
    monkeypatch.setattr(av, "AudioResampler", Resampler)
    _Counted.reads = 0
    assert probe_audio(data, 300.0) == ".mp3"
    assert pieces > 1000
    # Every chunk decoded so far was summed after each frame: 60 s made about 1.3 million reads of a
    # chunk's length (a 5-minute MP3 took 3 s of CPU), where one a chunk tells how much was decoded.
    assert _Counted.reads < 3 * pieces, (_Counted.reads, pieces)
