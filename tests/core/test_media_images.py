"""Input images as a model sees them: 8-bit RGB with the picture's own tones, whatever the file's format."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from reelgen.core.errors import InvalidRequest
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


def _png16_rgba(pixels: np.ndarray) -> bytes:
    """A 16-bit RGBA PNG of (H, W, 4) uint16 ``pixels``, written by hand: Pillow cannot write one."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    h, w, _ = pixels.shape
    rows = b"".join(b"\x00" + pixels[y].astype(">u2").tobytes() for y in range(h))
    header = struct.pack(">IIBBBBB", w, h, 16, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_16_bit_rgba_keeps_its_tones_and_clear_pixels_are_black(tmp_path: Path) -> None:
    pixels = np.zeros((2, 4, 4), np.uint16)
    pixels[..., 0], pixels[..., 1] = 65535, 32896  # orange: 255, 128 in 8 bits
    pixels[..., 3] = [0, 21845, 43690, 65535]  # clear, a third, two thirds, opaque
    (tmp_path / "rgba16.png").write_bytes(_png16_rgba(pixels))
    rgb = np.asarray(load_image(tmp_path / "rgba16.png"))
    assert rgb[0].tolist() == [[0, 0, 0], [85, 43, 0], [170, 85, 0], [255, 128, 0]]


def _saved(image: Image.Image, path: Path) -> Path:
    image.save(path)
    return path


def test_every_image_mode_comes_out_as_the_picture_it_shows(tmp_path: Path) -> None:
    """Grey+alpha, a palette with a transparent entry, CMYK, 32-bit integer, float and 1-bit images."""
    palette = Image.new("P", (4, 2))
    palette.putpalette([255, 0, 0, 0, 255, 0])
    palette.putpixel((3, 0), 1)
    palette.info["transparency"] = 0  # entry 0 (red) is clear: it must not show
    ints = Image.fromarray(np.array([[0, 257 * 100, 65535, 70000]], dtype=np.int32))
    floats = Image.fromarray(np.array([[0.0, 0.5, 1.0, 0.25]], dtype=np.float32))
    cases = {
        "la.png": (Image.new("LA", (4, 2), (100, 0)), [0, 0, 0]),
        "palette.png": (palette, [0, 0, 0]),
        "cmyk.jpg": (Image.new("CMYK", (4, 2), (0, 255, 255, 0)), [255, 0, 0]),
        "ints.tiff": (ints, [0, 100, 255, 255]),
        "floats.tiff": (floats, [0, 127, 255, 63]),
        "bits.png": (Image.new("1", (4, 2), 1), [255, 255, 255]),
    }
    got = {}
    for name, (image, _) in cases.items():
        rgb = np.asarray(load_image(_saved(image, tmp_path / name)))
        assert rgb.dtype == np.uint8 and rgb.shape[2] == 3, name
        # Greyscale sources: one value per pixel along the first row; colour ones: the first pixel.
        row = rgb[0, :, 0].tolist() if name in ("ints.tiff", "floats.tiff") else rgb[0, 0].tolist()
        got[name] = row
    assert got == {name: expected for name, (_, expected) in cases.items()}
    assert np.asarray(load_image(tmp_path / "palette.png"))[0, 3].tolist() == [0, 255, 0]


def test_a_phone_photo_stored_sideways_is_turned_by_its_exif_orientation(tmp_path: Path) -> None:
    # Phones store a portrait shot as landscape pixels plus Orientation 6 ("turn 90° clockwise"); read
    # as stored, a selfie lay on its side and no face was found in it.
    from skimage import data

    from reelgen.core.face.detect import find_faces

    upright = data.astronaut()  # 512x512, one face
    stored = np.rot90(upright, k=1)  # what the sensor wrote: the picture turned a quarter to the left
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 degrees clockwise to view
    Image.fromarray(np.ascontiguousarray(stored)).save(tmp_path / "selfie.jpg", exif=exif, quality=95)
    shown = np.asarray(load_image(tmp_path / "selfie.jpg")).astype(np.int16)
    assert np.abs(shown - upright).mean() < 6  # upright again, give or take JPEG's rounding
    assert len(find_faces(shown.astype(np.uint8))) == 1


def _header_only_png(path: Path, width: int, height: int) -> Path:
    """A PNG that says it is ``width`` x ``height`` (a decompression bomb's header), with almost no data."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 10))
        + chunk(b"IEND", b"")
    )
    return path


@pytest.mark.parametrize(
    ("side", "size"),
    [(9000, "9000x9000, 81,000,000 pixels"), (30000, "900,000,000 pixels")],
    ids=["over", "bomb"],
)
def test_an_image_with_too_many_pixels_is_refused_naming_it_and_the_limit(
    tmp_path: Path, side: int, size: str
) -> None:
    """Past twice the cap it said Pillow's words: 'image too large (Image size (900000000 pixels) exceeds limit
    of 128000000 pixels, could be decompression bomb DOS attack.)', naming neither the file nor what to give."""
    path = _header_only_png(tmp_path / "huge.png", side, side)
    with pytest.raises(InvalidRequest) as refused:
        load_image(path, "image")
    assert refused.value.message == (
        f"image: {path} is too large ({size}); an input image has at most 64,000,000 pixels (8000x8000, say): "
        "give a smaller one"
    )


def test_a_file_that_is_no_image_is_told_the_formats_taken(tmp_path: Path) -> None:
    notes = tmp_path / "notes.png"
    notes.write_text("hello")
    with pytest.raises(InvalidRequest) as refused:
        load_image(notes, param="start_image")
    assert refused.value.message.endswith("; valid: BMP, GIF, JPEG, PNG, TIFF, WEBP")
