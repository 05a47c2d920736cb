""" "No face found" names the face size the detector needs in this picture, not a fixed 48 pixels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from skimage import data

from reelgen.core.errors import InvalidRequest
from reelgen.core.face.detect import choose, find_faces, smallest_face
from reelgen.core.speech.prepare import check_face


def _astronaut_face_in(side: int, face_px: int) -> np.ndarray:
    """A grey ``side`` square with the astronaut shrunk so her face is about ``face_px`` wide, in the middle."""
    photo = Image.fromarray(data.astronaut())
    small = photo.resize((round(512 * face_px / 93), round(512 * face_px / 93)))  # her face is 93 of 512
    canvas = Image.new("RGB", (side, side), (120, 120, 120))
    canvas.paste(small, (side // 2 - small.width // 2, side // 2 - small.height // 2))
    return np.asarray(canvas)


def test_a_face_a_bit_larger_than_said_is_found_and_a_smaller_one_is_not() -> None:
    """The size said is the detector's real bound: 1.5 times it is found, two thirds of it is not."""
    need = smallest_face(2048, 2048)
    assert need == 170
    assert find_faces(_astronaut_face_in(2048, round(need * 1.5)))
    assert not find_faces(_astronaut_face_in(2048, round(need * 0.66)))


def test_no_face_in_a_big_photo_says_how_large_a_face_it_needs(tmp_path: Path) -> None:
    path = tmp_path / "crowd.png"
    Image.fromarray(_astronaut_face_in(2048, 100)).save(path)  # a 100-pixel face: too small at 2048
    with pytest.raises(InvalidRequest) as info:
        check_face(str(path), None)
    assert info.value.message == (
        "no face found in crowd.png; give a photo or video with a clear frontal face at least about 170 pixels "
        "across in this 2048x2048 picture (a twelfth of its shorter side)"
    )


def test_a_small_picture_needs_the_cascades_own_24_pixels() -> None:
    with pytest.raises(InvalidRequest, match=r"frontal face at least about 24 pixels across$"):
        choose([], None, "thumb.png", (200, 300))
