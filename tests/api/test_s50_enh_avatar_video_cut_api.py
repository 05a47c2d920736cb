"""An avatar's video upload cut short is a 400 before a job exists, as a voice cut short is."""

from __future__ import annotations

import io
from fractions import Fraction
from pathlib import Path

import numpy as np
from fastapi.testclient import TestClient

from reelgen.core.encode import write_video
from reelgen.core.types import Video
from tests.api.conftest import files_under
from tests.api.test_hostile_avatar_inputs import wav


def test_a_video_cut_short_is_refused_before_it_queues(
    client: TestClient, tmp_path: Path, data_dir: Path
) -> None:
    frames = np.random.default_rng(0).integers(0, 256, (20, 64, 64, 3), dtype=np.uint8)
    whole = write_video(Video(frames, Fraction(25), None), tmp_path / "interview.mp4").read_bytes()
    cut = whole[: len(whole) // 2]  # a download that stopped half-way
    files = {"audio": ("v.wav", wav(1, 1)), "video": ("i.mp4", io.BytesIO(cut).getvalue())}
    resp = client.post("/v1/avatars", files=files)
    # It was queued (202), and its job failed on the worker.
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "video"
    assert error["message"].startswith(
        "video: the file is cut short: its header lists 20 frames, but the file stops"
    )
    assert client.get("/v1/videos").json()["data"] == []
    assert files_under(data_dir / "inputs") == []  # the upload kept for the check went again
