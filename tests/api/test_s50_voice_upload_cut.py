"""An uploaded FLAC or M4A voice cut short is a 400 before any job exists, as a WAV's is: it was queued,
then failed on the worker (read_voice refuses it there)."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from tests.core.test_s50_enh2_flac_cut import _flac
from tests.core.test_s50_enh2_m4a_cut import _m4a


def _face() -> bytes:
    from skimage import data

    buf = io.BytesIO()
    Image.fromarray(data.astronaut()).resize((256, 256)).save(buf, format="PNG")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("suffix", "make", "cut_at"),
    [(".flac", _flac, 3), (".m4a", _m4a, 10)],
    ids=["flac", "m4a"],
)
def test_an_uploaded_voice_cut_short_is_a_400(
    client: TestClient,
    tmp_path: Path,
    suffix: str,
    make: Callable[[Path], tuple[bytes, list[int]]],
    cut_at: int,
) -> None:
    whole, starts = make(tmp_path / f"whole{suffix}")
    voice = whole[: starts[cut_at]]
    resp = client.post("/v1/avatars", files={"audio": (f"v{suffix}", voice), "image": ("f.png", _face())})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "audio"
    assert error["message"].startswith("audio: the file is cut short: its header says 2.0")
    assert error["message"].endswith("a copy or download that stopped part-way?); give the whole file")
    # The whole file passes the same check (it is queued).
    sent = client.post("/v1/avatars", files={"audio": (f"v{suffix}", whole), "image": ("f.png", _face())})
    assert sent.status_code == 202, sent.text
