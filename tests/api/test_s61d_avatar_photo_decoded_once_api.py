"""An avatar's uploaded photo is decoded once on the API host for its face and its size, and let go once queued."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from reelgen.core.face import source
from tests.core.test_s61d_avatar_photo_decoded_once import decodes, photo, voice

__all__ = ["decodes", "photo", "voice"]  # fixtures shared with the core test


def test_an_api_host_decodes_an_uploaded_photo_once(
    make_client: Callable[..., TestClient], photo: Path, voice: Path, decodes: list[str]
) -> None:
    client = make_client()
    files = {
        "image": ("face.png", photo.read_bytes(), "image/png"),
        "audio": ("voice.wav", voice.read_bytes(), "audio/wav"),
    }
    resp = client.post("/v1/avatars", files=files)
    assert resp.status_code == 202, resp.text
    # The face check decoded it, then resolving decoded it again for its size.
    assert len(decodes) == 1, decodes
    assert not source._CHECKED  # let go once queued: the worker reads the file


def test_a_request_refused_after_the_face_check_lets_the_photo_go_too(
    make_client: Callable[..., TestClient], photo: Path, decodes: list[str]
) -> None:
    files = {"image": ("face.png", photo.read_bytes(), "image/png")}
    # The text is checked after the photo's face and size, when its speech is made.
    resp = make_client().post("/v1/avatars", files=files, data={"text": "Привет, как дела?"})
    assert resp.status_code == 400, resp.text
    assert decodes, "the photo was not checked before the text"
    assert not source._CHECKED
