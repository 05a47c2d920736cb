"""An avatar's photo is decoded once from resolving to the runner's frame (render's face check between)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from reelgen.core import media
from reelgen.core.face import source
from reelgen.core.speech.audio import write_wav
from reelgen.core.types import Audio


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    """scikit-image's astronaut at 256 pixels: one frontal face."""
    from skimage import data

    path = tmp_path / "face.png"
    Image.fromarray(data.astronaut()).resize((256, 256)).save(path)
    return path


@pytest.fixture
def voice(tmp_path: Path) -> Path:
    rate = 16_000
    t = np.arange(rate) / rate
    tone = 0.3 * np.sin(2 * np.pi * 220 * t) * (1 + np.sin(2 * np.pi * 3 * t)) / 2
    return write_wav(tmp_path / "voice.wav", Audio(tone[None].astype(np.float32), rate))


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The photos ``load_image`` decodes from here on, under either name it is reached by."""
    seen: list[str] = []
    real = media.load_image

    def counted(path: Any, param: str = "image") -> Image.Image:
        seen.append(str(path))
        return real(path, param)

    monkeypatch.setattr(media, "load_image", counted)
    monkeypatch.setattr(source, "load_image", counted)
    return seen


def test_resolve_render_check_and_the_frame_share_one_decode(
    photo: Path, voice: Path, decodes: list[str]
) -> None:
    from reelgen.core.spec import GenerationRequest, resolve
    from reelgen.core.speech.prepare import check_face

    request = resolve(
        GenerationRequest(model="reelgen-lipsync", start_image=str(photo), speech_audio=str(voice))
    )
    assert check_face(str(photo), None) is None  # render's face check, before the model loads
    face = source.from_photo(str(photo), request.width, request.height, request.num_frames, None)
    assert (request.width, request.height) == (256, 256)
    assert face.frames[0].shape == (256, 256, 3)
    # Resolving decoded it for its size, render again for its faces (the runner took render's).
    assert decodes == [str(photo)]


def test_a_photo_changed_after_resolving_is_decoded_again(
    photo: Path, voice: Path, decodes: list[str]
) -> None:
    from reelgen.core.spec import GenerationRequest, resolve
    from reelgen.core.speech.prepare import check_face

    resolve(GenerationRequest(model="reelgen-lipsync", start_image=str(photo), speech_audio=str(voice)))
    Image.open(photo).transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(photo)  # edited in place
    check_face(str(photo), None)
    assert decodes == [str(photo), str(photo)]
