"""An input image far wider or taller than the frame is fitted without building a giant picture first."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from PIL import Image

from reelgen.core import media


def _bounded_resize(monkeypatch: pytest.MonkeyPatch, most: int) -> None:
    real = Image.Image.resize

    def resize(self: Image.Image, size: Any, *args: Any, **kwargs: Any) -> Image.Image:
        # Refused before Pillow allocates it: the unbounded picture was gigabytes.
        assert size[0] * size[1] <= most, f"fit built a {size[0]}x{size[1]} picture"
        return real(self, size, *args, **kwargs)

    monkeypatch.setattr(Image.Image, "resize", resize)


def test_a_strip_one_pixel_wide_fills_the_frame_from_its_middle(monkeypatch: pytest.MonkeyPatch) -> None:
    # 2x20000 into 512x512 was first scaled to 512x5,120,000 (7.9 GB of RGB) and then cropped.
    strip = np.zeros((20000, 2, 3), dtype=np.uint8)
    strip[:, :] = (0, 0, 255)
    strip[9990:10010] = (255, 0, 0)
    _bounded_resize(monkeypatch, 16 * 512 * 512)
    out = np.asarray(media.fit(Image.fromarray(strip), 512, 512))
    assert out.shape == (512, 512, 3)
    assert (out[256, 256] == (255, 0, 0)).all()  # the strip's middle, where a centre crop looks


def test_a_banner_10000x10_fits_a_512_square(monkeypatch: pytest.MonkeyPatch) -> None:
    banner = np.zeros((10, 10000, 3), dtype=np.uint8)
    banner[:, 4990:5010] = (0, 255, 0)
    _bounded_resize(monkeypatch, 16 * 512 * 512)
    out = np.asarray(media.fit(Image.fromarray(banner), 512, 512))
    assert out.shape == (512, 512, 3)
    assert (out[:, 256] == (0, 255, 0)).all()


def test_an_ordinary_photo_is_fitted_as_before() -> None:
    # Replays of records made earlier read the same pixels: scale to cover, then centre-crop.
    rng = np.random.default_rng(3)
    photo = Image.fromarray(rng.integers(0, 256, (480, 640, 3), dtype=np.uint8))
    before = photo.resize((960, 720), Image.Resampling.LANCZOS).crop((160, 0, 800, 720))
    assert np.array_equal(np.asarray(media.fit(photo, 640, 720)), np.asarray(before))
