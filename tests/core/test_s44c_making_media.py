"""A source video that cannot be read: FFmpeg's reason in words, and what would be taken."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core import media
from reelgen.core.errors import InvalidRequest


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"\x00\x17 not a video at all " * 200, "Invalid data found when processing input"),
    ],
    ids=["empty", "garbage"],
)
def test_an_unreadable_video_says_why_in_words_and_what_is_taken(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    """It said ``([Errno 1094995529] Invalid data found when processing input: '/path')`` and no more."""
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(content)
    with pytest.raises(InvalidRequest) as err:
        media.read_video(clip, param="source_video")
    said = err.value.message
    assert said == (
        f"source_video: {clip} is not a readable video ({reason}); "
        "give a video file: MP4, MOV, MKV, WebM or an animated GIF"
    )
    assert err.value.param == "source_video" and "Errno" not in said
