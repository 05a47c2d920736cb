"""A float voice whose samples include NaN or infinity is refused as such, not called silent or taken."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from reelgen.api.avatar_inputs import probe_audio
from reelgen.api.errors import ApiError
from reelgen.core.errors import InvalidRequest
from reelgen.core.speech.audio import check_voice, read_voice

RATE = 16_000


def _float_wav(path: Path, bad: float) -> Path:
    """Two seconds of a loud, speech-like tone as a 32-bit float WAV, with 100 samples set to ``bad``."""
    t = np.arange(2 * RATE) / RATE
    samples = (0.5 * np.sin(2 * np.pi * 200 * t) * (0.5 + 0.5 * np.sin(2 * np.pi * 3 * t))).astype(np.float32)
    samples[RATE : RATE + 100] = bad
    with av.open(str(path), "w", format="wav") as container:
        stream = container.add_stream("pcm_f32le", rate=RATE, layout="mono")
        frame = av.AudioFrame.from_ndarray(samples[None], format="flt", layout="mono")
        frame.sample_rate, frame.pts = RATE, 0
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
    return path


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_a_run_refuses_a_voice_with_samples_that_are_no_numbers(tmp_path: Path, bad: float) -> None:
    # NaN was "the voice track is silent (digital silence)"; infinity made a video from it.
    voice = read_voice(_float_wav(tmp_path / "voice.wav", bad))
    with pytest.raises(InvalidRequest) as caught:
        check_voice(voice)
    message = caught.value.message
    assert message.startswith("speech_audio: the voice track holds samples that are no numbers")
    assert "silent" not in message


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_the_api_refuses_an_upload_with_samples_that_are_no_numbers(tmp_path: Path, bad: float) -> None:
    data = _float_wav(tmp_path / "voice.wav", bad).read_bytes()
    with pytest.raises(ApiError) as caught:
        probe_audio(data, 300.0)
    assert caught.value.status == 400
    assert caught.value.message.startswith("audio: the voice track holds samples that are no numbers")
