"""``reelgen animate`` of a photo over the pixel limit refuses it in words: a 20000x10000 one was an
"internal error (DecompressionBombError ...)", and a 12000x9000 one printed Pillow's warning first."""

from __future__ import annotations

import struct
import warnings
import zlib
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app


def _png_header(path: Path, width: int, height: int) -> Path:
    """A PNG that says it is width x height (its pixels never read: refused on its size)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )
    return path


@pytest.mark.parametrize(("width", "height"), [(20000, 10000), (12000, 9000)])
def test_a_huge_photo_is_refused_in_words(tmp_path: Path, width: int, height: int) -> None:
    photo = _png_header(tmp_path / "photo.png", width, height)
    argv = ["animate", str(photo), "x", "-m", "reelgen-micro", "--frames", "5", "-o", str(tmp_path / "x.mp4")]
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        result = CliRunner().invoke(app, argv)
    out = " ".join(result.output.split())
    assert result.exit_code == 2, out
    assert f"{photo} is too large ({width * height:,} pixels" in out or f"({width}x{height}," in out, out
    assert "give a smaller one" in out and "internal error" not in out
    assert not [w for w in seen if issubclass(w.category, Image.DecompressionBombWarning)]
    assert not (tmp_path / "x.mp4").exists()
