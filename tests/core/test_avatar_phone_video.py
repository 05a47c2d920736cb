"""A phone's portrait video (landscape pixels, a display matrix that turns them) is dubbed as a player shows it."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image
from skimage import data

from reelgen.core.backends.avatar.presets import RULES
from reelgen.core.face.source import from_video
from reelgen.core.spec.request import GenerationRequest
from reelgen.core.speech.audio import write_wav
from reelgen.core.speech.prepare import avatar_request
from reelgen.core.types import Audio

FPS = 25


@pytest.fixture(scope="module")
def upright() -> np.ndarray:
    """The astronaut in portrait, 192 wide and 256 tall, as the person filmed her."""
    return np.asarray(Image.fromarray(data.astronaut()).resize((256, 256)))[:, 32:224].copy()


@pytest.fixture(scope="module")
def phone_clip(tmp_path_factory: pytest.TempPathFactory, upright: np.ndarray) -> Path:
    """Three frames stored on their side (256x192), with a display matrix turning them 90 degrees back."""
    path = tmp_path_factory.mktemp("phone") / "portrait.mp4"
    stored = np.ascontiguousarray(np.rot90(upright, k=-1))
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = stored.shape[1], stored.shape[0], "yuv420p"
        stream.set_display_rotation(90)
        for _ in range(3):
            container.mux(stream.encode(av.VideoFrame.from_ndarray(stored, format="rgb24")))
        container.mux(stream.encode())
    return path


def test_the_dub_is_made_at_the_size_a_player_shows(phone_clip: Path, tmp_path: Path) -> None:
    tone = (0.3 * np.sin(np.arange(8000) * 2 * np.pi * 220 / 16000)).astype(np.float32)
    voice = write_wav(tmp_path / "voice.wav", Audio(tone[None], 16000))
    request = GenerationRequest(
        model="reelgen-lipsync", task="avatar", source_video=str(phone_clip), speech_audio=str(voice)
    )
    made = avatar_request(request, FPS, RULES)
    assert (made.width, made.height) == (192, 256)  # was 256x192: a sideways landscape dub


def test_the_face_of_a_phone_video_is_found_upright(phone_clip: Path, upright: np.ndarray) -> None:
    # Read as stored, her face lay on its side: "no face found in portrait.mp4".
    source = from_video(str(phone_clip), 192, 256, 3, FPS, None)
    assert source.present.all()
    frame = source.frames[0].astype(int)
    assert frame.shape == upright.shape
    assert np.abs(frame - upright).mean() < 8  # the picture itself, not turned or mirrored
