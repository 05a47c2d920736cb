"""An animated WebP given as the video to dub is called what it is, not a photo."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from reelgen.core.backends.avatar.presets import RULES
from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.request import GenerationRequest
from reelgen.core.speech.prepare import avatar_request


def test_an_animated_webp_to_dub_says_to_convert_it(tmp_path: Path) -> None:
    sticker = tmp_path / "sticker.webp"
    frames = [Image.new("RGB", (96, 96), (20 * k, 90, 160)) for k in range(3)]
    frames[0].save(sticker, save_all=True, append_images=frames[1:], duration=100, loop=0)
    request = GenerationRequest(
        model="reelgen-lipsync", task="avatar", source_video=str(sticker), speech_text="Hi."
    )
    with pytest.raises(InvalidRequest) as refused:
        avatar_request(request, 25.0, RULES)
    # It read "sticker.webp is a WEBP photo, not a video", of a file of three frames.
    assert refused.value.message == (
        f"source_video: {sticker} is an animated WebP of 3 frames, which FFmpeg cannot decode; convert it to "
        "an MP4 or an animated GIF first (or give it as --image to animate its first frame)"
    )


def test_a_photo_to_dub_is_still_told_to_go_to_image(tmp_path: Path) -> None:
    photo = tmp_path / "face.webp"
    Image.new("RGB", (96, 96)).save(photo)
    request = GenerationRequest(
        model="reelgen-lipsync", task="avatar", source_video=str(photo), speech_text="Hi."
    )
    with pytest.raises(
        InvalidRequest, match=r"is a WEBP photo, not a video; to animate it, give it as --image"
    ):
        avatar_request(request, 25.0, RULES)
