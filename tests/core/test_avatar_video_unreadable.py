"""A video to dub that FFmpeg cannot open is refused in words, with what is taken, not FFmpeg's errno."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.backends.avatar.presets import RULES
from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.request import GenerationRequest
from reelgen.core.speech.prepare import avatar_request


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 40, "Invalid data found when processing input"),
    ],
)
def test_an_unreadable_video_to_dub_says_why_in_words(tmp_path: Path, content: bytes, reason: str) -> None:
    clip = tmp_path / "interview.mp4"
    clip.write_bytes(content)  # a download that stopped in its header, or never started
    request = GenerationRequest(
        model="reelgen-lipsync", task="avatar", source_video=str(clip), speech_text="Hi."
    )
    with pytest.raises(InvalidRequest) as refused:
        avatar_request(request, 25.0, RULES)
    # It read "([Errno 1094995529] Invalid data found when processing input: '.../interview.mp4')".
    assert refused.value.message == (
        f"source_video: {clip} is not a readable video ({reason}); "
        "give a video file: MP4, MOV, MKV, WebM or an animated GIF"
    )
