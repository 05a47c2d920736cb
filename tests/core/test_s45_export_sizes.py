"""A film smaller than its codec's encoder takes is refused naming the side, before any frame."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.export import ExportSettings, Segment, TitleCard, export


@pytest.mark.parametrize(
    ("codec", "size", "said"),
    [
        (
            "h265",
            (8, 8),
            "export.width: the film would be 8x8, and h265 (libx265) takes sides of at least 16",
        ),
        (
            "av1",
            (64, 2),
            "export.height: the film would be 64x2, and av1 (libsvtav1) takes sides of at least 4",
        ),
    ],
)
def test_a_film_too_small_for_the_encoder_is_refused(
    tmp_path: Path, codec: str, size: tuple[int, int], said: str
) -> None:
    # FFmpeg refused it only as the encoder opened: "internal error (ArgumentError: Invalid argument ...)".
    settings = ExportSettings(codec=codec, width=size[0], height=size[1], fps=4)
    with pytest.raises(InvalidRequest) as refused:
        export([Segment("one", 0.5, card=TitleCard(text="x"))], settings, tmp_path / "f.mp4")
    assert refused.value.message.startswith(said)
    assert not (tmp_path / "f.mp4").exists()
