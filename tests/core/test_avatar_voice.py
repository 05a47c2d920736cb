"""An avatar's voice track as the output carries it: channels, rate and length of the soundtrack."""

from __future__ import annotations

import wave
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from tests.core.helpers import render_fields

RATE = 16_000


@pytest.fixture(scope="module")
def face(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from skimage import data

    path = tmp_path_factory.mktemp("faces") / "astronaut.png"
    Image.fromarray(data.astronaut()).resize((256, 256)).save(path)
    return path


def _speechlike(seconds: float, pitch: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return 0.5 * np.sin(2 * np.pi * pitch * t) * (0.5 + 0.5 * np.sin(2 * np.pi * 3 * t))


def _soundtrack(path: Path) -> np.ndarray:
    """The MP4's audio as (channels, samples)."""
    with av.open(str(path)) as container:
        return np.concatenate([f.to_ndarray() for f in container.decode(audio=0)], axis=1)


def test_a_stereo_voice_stays_stereo_in_the_video(face: Path, tmp_path: Path) -> None:
    left, right = _speechlike(1.0, 200), 0.3 * _speechlike(1.0, 330)
    voice = tmp_path / "stereo.wav"
    with wave.open(str(voice), "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes((np.stack([left, right], 1) * 32767).astype("<i2").tobytes())

    result = render_fields(
        tmp_path / "talk.mp4", model="musetalk-tiny", start_image=str(face), speech_audio=str(voice)
    )
    sound = _soundtrack(tmp_path / "talk.mp4")
    assert sound.shape[0] == 2, "the stereo voice was mixed down to mono"
    louder = np.sqrt((sound**2).mean(axis=1))
    assert louder[0] > 2 * louder[1]  # each side kept its own level, not their average
    assert result.video.num_frames == 25
