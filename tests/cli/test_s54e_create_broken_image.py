"""`reelgen manifest create` on a folder holding an image file it cannot read says so, and writes nothing."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def test_a_broken_png_among_the_keyframes_is_named_and_no_manifest_is_written(tmp_path: Path) -> None:
    shots = tmp_path / "shots"
    shots.mkdir()
    Image.new("RGB", (64, 64), (200, 40, 40)).save(shots / "good.png")
    (shots / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    (shots / "notes.txt").write_text("not an image, and not named like one: left alone")
    result = runner.invoke(app, ["manifest", "create", str(shots)])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert f"{shots}: broken.png is not a readable image" in said
    assert (
        "valid: BMP, GIF, JPEG, PNG, TIFF, WEBP" in said and "move it out of the folder or replace it" in said
    )
    assert "Traceback" not in said and "notes.txt" not in said
    assert not (shots / "manifest.json").exists()


def _huge_png(path: Path, side: int) -> None:
    """A PNG whose header says side x side pixels, with one empty data chunk (only the header is read)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"") + chunk(b"IEND", b"")
    )


def test_a_huge_image_is_not_called_unreadable(tmp_path: Path) -> None:
    # Pillow refuses to open a 400-megapixel picture; it is an image all the same, and the batch says it is
    # too large for the item (create names only files that are no images).
    shots = tmp_path / "shots"
    shots.mkdir()
    _huge_png(shots / "huge.png", 20_000)
    result = runner.invoke(app, ["manifest", "create", str(shots)])
    assert result.exit_code == 0, result.output
    assert "not a readable image" not in result.output
