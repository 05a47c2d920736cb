"""A photo avatar's faces are searched once: render's check of the photo and its frame's layout share it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from reelgen.core.errors import InvalidRequest
from reelgen.core.face import detect, source
from reelgen.core.speech.prepare import check_face


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    """The astronaut on a grey border."""
    from skimage import data

    framed = Image.new("RGB", (384, 384), (61, 60, 59))
    framed.paste(Image.fromarray(data.astronaut()).resize((320, 320)), (32, 32))
    path = tmp_path / "face.png"
    framed.save(path)
    return path


@pytest.fixture
def searches(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, ...]]:
    """The shapes of the pictures the face detector searched (none searched before this test)."""
    searched: list[tuple[int, ...]] = []
    if hasattr(detect, "_PHOTO_FACES"):
        monkeypatch.setattr(detect, "_PHOTO_FACES", type(detect._PHOTO_FACES)())
    find = detect.find_faces

    def counted(frame: np.ndarray) -> list[detect.FaceBox]:
        searched.append(frame.shape)
        return find(frame)

    monkeypatch.setattr(detect, "find_faces", counted)
    if hasattr(source, "find_faces"):
        monkeypatch.setattr(source, "find_faces", counted)
    return searched


def test_render_searches_a_photo_for_faces_once(photo: Path, searches: list[tuple[int, ...]]) -> None:
    # render checks the photo has a face (check_face) before loading the model, and the runner lays out
    # its frame (from_photo): each searched it, about 0.1 s of CPU a render at 512x512.
    assert check_face(str(photo), None) is None
    face = source.from_photo(str(photo), 384, 384, 10, None)
    assert searches == [(384, 384, 3)]
    expected = max(detect.find_faces(np.asarray(Image.open(photo).convert("RGB"))), key=lambda b: b.area)
    assert np.array_equal(face.boxes[0], expected.as_array()) and face.faces_seen == 1


def test_a_photo_laid_out_at_another_size_is_searched_at_that_size(
    photo: Path, searches: list[tuple[int, ...]]
) -> None:
    check_face(str(photo), None)
    face = source.from_photo(str(photo), 256, 256, 10, None)
    assert searches == [(384, 384, 3), (256, 256, 3)]
    fitted = source._fitted(np.asarray(Image.open(photo).convert("RGB")), 256, 256)
    (expected,) = detect.find_faces(fitted)
    assert np.array_equal(face.boxes[0], expected.as_array()) and face.faces_seen == 1


def test_a_photo_changed_in_place_is_searched_again(photo: Path, searches: list[tuple[int, ...]]) -> None:
    assert check_face(str(photo), None) is None
    Image.new("RGB", (384, 384), (61, 60, 59)).save(photo)  # the same name, no face now
    with pytest.raises(InvalidRequest, match="no face found"):
        check_face(str(photo), None)
    assert len(searches) == 2


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The photos decoded (``load_image``), as render's check and the runner's layout reach it."""
    from reelgen.core import media

    decoded: list[str] = []
    load = media.load_image

    def counted(path: str, param: str = "image") -> Image.Image:
        decoded.append(str(path))
        return load(path, param)

    monkeypatch.setattr(media, "load_image", counted)
    monkeypatch.setattr(source, "load_image", counted)
    return decoded


def test_render_decodes_a_photo_once(photo: Path, decodes: list[str]) -> None:
    # Decoded by check_face and again by from_photo: about 0.1 s of CPU more for a 2048-pixel PNG or a
    # phone's 12-megapixel JPEG.
    check_face(str(photo), None)
    face = source.from_photo(str(photo), 384, 384, 10, None)
    assert decodes == [str(photo)]
    assert np.array_equal(face.frames[0], np.asarray(Image.open(photo).convert("RGB")))


def test_a_photo_replaced_after_the_check_is_laid_out_as_it_is_now(photo: Path, decodes: list[str]) -> None:
    check_face(str(photo), None)
    mirrored = Image.open(photo).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    mirrored.save(photo)
    face = source.from_photo(str(photo), 384, 384, 10, None)
    assert len(decodes) == 2
    assert np.array_equal(face.frames[0], np.asarray(mirrored))
    (expected,) = detect.find_faces(np.asarray(mirrored))
    assert np.array_equal(face.boxes[0], expected.as_array())
