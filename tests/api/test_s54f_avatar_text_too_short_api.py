"""Over HTTP, text whose speech is shorter than a syllable is a 400 naming `text`, not `audio`."""

from __future__ import annotations

from fastapi.testclient import TestClient
from PIL import Image

from tests.api.test_hostile_avatar_inputs import face, png  # noqa: F401  (face is a fixture)
from tests.cli.test_s54f_avatar_text_too_short import BRIEF


def test_the_api_names_the_text(client: TestClient, face: Image.Image) -> None:  # noqa: F811
    # It was "audio: the voice track is 0.151 s long ...", naming a field that was not sent.
    resp = client.post("/v1/avatars", data={"text": BRIEF}, files={"image": ("face.png", png(face))})
    assert resp.status_code == 400, resp.text
    body = resp.json()["error"]
    assert body["param"] == "text", body
    assert body["message"].startswith("text: 'a' is spoken in 0.15 s;"), body
