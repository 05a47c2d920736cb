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


def test_a_form_the_parser_refuses_is_told_in_words_a_user_can_act_on(client: TestClient) -> None:
    # Starlette answered "Part exceeded maximum size of 1024KB." and "Missing boundary in multipart.":
    # which field, which rule and what to send instead were left to guess.
    long_text = {"prompt": "x" * (1024 * 1024 + 1), "model": "wan-tiny"}
    for files in (None, {"image": ("a.png", b"\x89PNG", "image/png")}):
        resp = client.post("/v1/videos", data=long_text, files=files)
        assert resp.status_code == 400, resp.text
        said = resp.json()["error"]["message"]
        assert said.startswith("a text field of the form is over 1 MiB, the most one may hold; ")
        # the server's own cap (default 4000), where it said the core's 20,000
        assert "a prompt holds at most 4,000 characters (REELGEN_MAX_PROMPT_CHARS)" in said
    resp = client.post("/v1/videos", content=b"--z\r\n", headers={"content-type": "multipart/form-data"})
    assert resp.status_code == 400
    assert "without a boundary in its Content-Type header" in resp.json()["error"]["message"]
    many = {f"field{i}": "1" for i in range(65)}
    resp = client.post("/v1/videos", data=many, files={"image": ("a.png", b"\x89PNG", "image/png")})
    assert resp.json()["error"]["message"] == (
        "the form has more than 64 fields; this route takes the fields /v1/videos lists in /docs"
    )
