"""Input images as a model sees them: 8-bit RGB with the picture's own tones, whatever the file's format."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from reelgen.core.media import load_image


def test_a_16_bit_greyscale_photo_keeps_its_tones(tmp_path: Path) -> None:
    # Pillow reads it as 0..65535 and its RGB conversion clipped at 255: the picture came out nearly
    # white, and a face in it was not found.
    ramp = np.linspace(0, 65535, 64 * 48).reshape(48, 64).astype(np.uint16)
    Image.fromarray(ramp).save(tmp_path / "grey16.png")
    rgb = np.asarray(load_image(tmp_path / "grey16.png"))
    assert rgb.shape == (48, 64, 3) and rgb.dtype == np.uint8
    assert rgb[0, 0].tolist() == [0, 0, 0] and rgb[-1, -1].tolist() == [255, 255, 255]
    assert abs(float(rgb.mean()) - 127.5) < 1.0


def test_an_8_bit_image_is_unchanged(tmp_path: Path) -> None:
    pixels = np.random.default_rng(0).integers(0, 256, (32, 40, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(tmp_path / "colour.png")
    assert np.array_equal(np.asarray(load_image(tmp_path / "colour.png")), pixels)
