"""Text and watermark layers are held as the part they show, and land where the whole-frame drawing puts them."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
from PIL import Image

from reelgen.core.export import ExportSettings, Segment, TextOverlay, TitleCard, Watermark, export, text


def test_a_caption_is_kept_as_its_box_not_a_whole_frame(tmp_path: Path) -> None:
    # Each layer was a full frame the graph held for the whole film: 200 captions at 1280x720 took 2 GB.
    drawn = text.text_layer(TextOverlay(text="A caption", end=1), 1280, 720, "export.texts[0]")
    layer = text.cropped(drawn, tmp_path / "t.png")
    assert layer is not None and layer.x % 2 == 0 and layer.y % 2 == 0
    with Image.open(layer.path) as saved:
        assert saved.width * saved.height < 1280 * 720 / 10
        assert np.array_equal(
            np.asarray(saved),
            np.asarray(drawn)[layer.y : layer.y + saved.height, layer.x :][:, : saved.width],
        )
    assert text.cropped(Image.new("RGBA", (64, 64)), tmp_path / "empty.png") is None


def test_captions_and_the_watermark_land_where_they_are_drawn(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGBA", (30, 20), (255, 255, 0, 255)).save(logo)
    settings = ExportSettings(
        codec="prores",  # near lossless: the film's pixels can be compared with the drawing's
        container="mov",
        fps=4,
        width=320,
        height=180,
        texts=[TextOverlay(text="Hello there", end=1, position="top_left", box=0.8)],
        watermark=Watermark(image=str(logo), margin=0.031),
    )
    out = export(
        [Segment("c", 0.5, card=TitleCard(text="x", background="#204080"))], settings, tmp_path / "f.mov"
    )
    with av.open(str(out.path)) as film:
        frame = next(film.decode(video=0)).to_ndarray(format="rgb24").astype(int)
    expected = text.title_card(TitleCard(text="x", background="#204080"), 320, 180, "c").convert("RGBA")
    expected.alpha_composite(text.text_layer(settings.texts[0], 320, 180, "t"))
    assert settings.watermark is not None
    expected.alpha_composite(text.watermark_layer(settings.watermark, 320, 180, "w"))
    wanted = np.asarray(expected.convert("RGB")).astype(int)
    # Colour is stored at half size, so edges blur by a pixel; a layer a pixel off would differ by far more.
    assert np.abs(frame - wanted).mean() < 2.5

    def yellow(picture: np.ndarray) -> tuple[int, int, int, int]:
        ys, xs = np.nonzero((picture[..., 0] > 200) & (picture[..., 1] > 200) & (picture[..., 2] < 80))
        return xs.min(), xs.max(), ys.min(), ys.max()

    assert np.abs(np.subtract(yellow(frame), yellow(wanted))).max() <= 1  # its edges blur by a pixel
