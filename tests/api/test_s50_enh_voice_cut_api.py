"""An uploaded voice WAV cut short is a 400 saying how much of it is missing, as a run here says."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from PIL import Image

from tests.api.test_hostile_avatar_inputs import wav


def test_an_uploaded_voice_cut_short_is_a_400(client: TestClient) -> None:
    from skimage import data

    buf = io.BytesIO()
    Image.fromarray(data.astronaut()).resize((256, 256)).save(buf, format="PNG")
    voice = wav(10, 2)  # a download that stopped at 2 s of the 10 s its header promises
    resp = client.post("/v1/avatars", files={"audio": ("v.wav", voice), "image": ("f.png", buf.getvalue())})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    # It was queued as a 2 s avatar.
    assert error["param"] == "audio"
    assert error["message"] == (
        "audio: the file is cut short: its header says 10.00 s of sound, but the file holds 2.00 s "
        "(8.00 s missing: a copy or download that stopped part-way?); give the whole file"
    )
