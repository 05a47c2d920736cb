"""A spritesheet of a very tall video, or one made short of memory, is answered in words, not an internal error."""

from __future__ import annotations

import io
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from reelgen.core.encode import write_video
from reelgen.core.errors import GenerationFailed
from reelgen.core.types import Video
from reelgen.jobs import spritesheet


def _tall(path: Path, frames: int = 8) -> Path:
    return write_video(Video(np.full((frames, 2048, 16, 3), 90, np.uint8), Fraction(8)), path)


def test_a_very_tall_video_gets_narrow_cells_in_a_sheet_jpeg_holds(tmp_path: Path) -> None:
    # Its cells were 256x32768: a 65536-row sheet, which JPEG cannot hold (an internal error).
    data = spritesheet.render(_tall(tmp_path / "tall.mp4"))
    with Image.open(io.BytesIO(data)) as sheet:
        assert sheet.size == (4 * 8, 2 * spritesheet.CELL_HEIGHT)  # 8 cells of 8x1024, 4 a row


def test_a_sheet_short_of_memory_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    video = write_video(Video(np.full((4, 48, 64, 3), 90, np.uint8), Fraction(8)), tmp_path / "clip.mp4")

    def short(cells: object) -> bytes:
        raise MemoryError

    monkeypatch.setattr(spritesheet, "_grid", short)
    with pytest.raises(GenerationFailed) as caught:
        spritesheet.render(video)
    assert caught.value.message == (
        "out of memory making the spritesheet: the video's 64x48 frames (0.0 MB each) did not fit in the "
        "server's free memory; try again when it has more free"
    )
