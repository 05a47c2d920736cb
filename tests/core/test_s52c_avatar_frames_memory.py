"""An avatar whose frames cannot all be held until encoding is refused saying so, not a MemoryError."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from reelgen.core.encode import write_video
from reelgen.core.errors import InvalidRequest
from reelgen.core.face.source import from_photo, from_video
from reelgen.core.types import Video


@pytest.fixture
def little_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("reelgen.core.host_memory.host_available_gib", lambda: 2.0)


def test_a_phone_photo_and_a_minute_of_voice_are_refused_saying_why(
    tmp_path: Path, little_memory: None
) -> None:
    # A 4000x3000 photo (in the 64..4096 range) with a 60 s voice was "internal error (MemoryError:
    # Unable to allocate 50.0 GiB ...) ... report it", after the model had loaded.
    photo = tmp_path / "phone.jpg"
    Image.new("RGB", (4000, 3000), (90, 90, 90)).save(photo)
    with pytest.raises(InvalidRequest) as caught:
        from_photo(str(photo), 4000, 3000, 1490, None)
    message = caught.value.message
    assert caught.value.param == "start_image"
    assert message.startswith("start_image: the avatar's 1490 frames of 4000x3000 pixels need 50.0 GiB")
    assert "2.0 GiB are available" in message
    assert "scale the photo down" in message


def test_a_dub_of_a_large_video_is_refused_before_it_is_decoded(tmp_path: Path, little_memory: None) -> None:
    clip = write_video(Video(np.full((3, 1080, 1920, 3), 90, np.uint8), Fraction(25)), tmp_path / "clip.mp4")
    with pytest.raises(InvalidRequest) as caught:
        from_video(str(clip), 1920, 1080, 1000, 25.0, None)
    assert caught.value.param == "source_video"
    assert caught.value.message.startswith("source_video: the avatar's 1000 frames of 1920x1080 pixels need")
    assert "scale the video down" in caught.value.message


def test_an_avatar_that_fits_is_not_refused(tmp_path: Path, little_memory: None) -> None:
    from skimage import data

    photo = tmp_path / "face.png"
    Image.fromarray(data.astronaut()).save(photo)
    source = from_photo(str(photo), 512, 512, 250, None)  # 0.2 GiB of frames
    assert source.faces_seen == 1
