"""An uploaded video over the server's length limit is refused naming that limit, not the size's too."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import numpy as np
from fastapi.testclient import TestClient

from reelgen.core.encode import write_video
from reelgen.core.types import Video


def test_a_source_video_too_long_is_refused_by_its_length_alone(
    make_client: Callable[..., TestClient], tmp_path: Path
) -> None:
    # It said "32x32, 3.0s exceeds 4096px or 2.0s": which limit the video passed was left to guess.
    clip = tmp_path / "long.mp4"
    write_video(Video(np.full((24, 32, 32, 3), 90, np.uint8), Fraction(8)), clip)
    client = make_client(max_video_seconds=2.0)
    form = {"prompt": "a fox", "model": "wan-tiny", "task": "v2v"}
    resp = client.post(
        "/v1/videos", data=form, files={"source_video": ("long.mp4", clip.read_bytes(), "video/mp4")}
    )
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"] == {
        **resp.json()["error"],
        "param": "source_video",
        "message": "source_video: 3.0 s long; this server takes videos up to 2 s",
    }
