"""A soundtrack file with no sound in it (a picture, a silent video) is refused saying what to give, as a
file FFmpeg cannot read is: it said only "... has no audio stream", naming nothing that would do."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from reelgen.core.errors import InvalidRequest
from reelgen.core.export.music import check_soundtrack
from reelgen.core.export.settings import Soundtrack


def test_a_picture_as_the_soundtrack_names_what_would_do(tmp_path: Path) -> None:
    picture = tmp_path / "cover.png"
    Image.new("RGB", (8, 8)).save(picture)
    with pytest.raises(InvalidRequest) as refused:
        check_soundtrack(Soundtrack(file=str(picture)))
    assert str(refused.value) == (
        f"soundtrack.file: {picture} has no audio stream (no sound at all); give a WAV, FLAC, MP3, AAC/M4A, "
        "OGG or a video with sound"
    )
    assert refused.value.param == "soundtrack.file"
