"""A watermark that, at its width and margin, would hang off the frame is refused, not drawn cut off."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from reelgen.core.errors import InvalidRequest
from reelgen.core.export import ExportSettings, Segment, TitleCard, export
from reelgen.core.export.settings import Watermark
from reelgen.core.media import read_video


def _film(tmp_path: Path, logo_size: tuple[int, int], **mark: object) -> Path:
    logo = tmp_path / "logo.png"
    Image.new("RGBA", logo_size, (255, 255, 0, 255)).save(logo)
    settings = ExportSettings(width=128, height=72, fps=8, watermark=Watermark(image=str(logo), **mark))
    segments = [Segment("card", 0.5, card=TitleCard(text=" "))]
    return export(segments, settings, tmp_path / "f.mp4").path


@pytest.mark.parametrize(
    ("logo_size", "mark", "said"),
    [
        # bottom_right at the whole width, 0.4 in: it was drawn at the top left, two fifths off the frame.
        ((100, 50), {"width": 1.0, "margin": 0.4}, "128x64 pixels with a margin of 51"),
        # A tall logo at a share of the width that is taller than the frame: its top was cut off.
        ((50, 100), {"width": 0.5}, "64x128 pixels with a margin of 4"),
    ],
)
def test_a_watermark_off_the_frame_is_refused(
    tmp_path: Path, logo_size: tuple[int, int], mark: dict[str, object], said: str
) -> None:
    with pytest.raises(InvalidRequest) as err:
        _film(tmp_path, logo_size, **mark)
    assert err.value.param == "export.watermark.width"
    message = err.value.message
    assert message.startswith("export.watermark: the logo, ")
    assert said in message and "does not fit the 128x72 film at bottom_right" in message
    assert not (tmp_path / "f.mp4").exists()


def test_a_watermark_that_fits_is_drawn_where_asked(tmp_path: Path) -> None:
    film = read_video(_film(tmp_path, (100, 50), width=0.25, margin=0.05, opacity=1.0)).frames
    frame = film[0]
    assert frame[60, 115].tolist()[0] > 200 and frame[60, 115].tolist()[2] < 60  # yellow, bottom right
    assert frame[10, 10].max() < 40  # and nothing at the top left
