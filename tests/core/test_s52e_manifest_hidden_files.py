"""`manifest create` leaves hidden files out: macOS's ``._`` copies are not keyframes.

A folder of photos copied from a Mac to a shared or FAT drive holds ``._x.JPG`` beside ``x.JPG`` (the
Finder's metadata, not a picture): it became an item named ``x`` that failed in every batch, and the real
``x.JPG`` was renamed ``x-2``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from reelgen.core.batch import create_manifest
from reelgen.core.errors import InvalidRequest


def test_apple_double_and_hidden_files_are_not_items(tmp_path: Path) -> None:
    Image.new("RGB", (64, 64), (90, 120, 60)).save(tmp_path / "x.JPG")
    (tmp_path / "._x.JPG").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    Image.new("RGB", (64, 64), (90, 120, 60)).save(tmp_path / ".thumb.png")
    manifest = create_manifest(tmp_path)
    assert [(item.output, item.images) for item in manifest.items] == [("x", ["x.JPG"])]


def test_a_folder_of_hidden_files_alone_says_they_were_left_out(tmp_path: Path) -> None:
    (tmp_path / "._x.JPG").write_bytes(b"\x00\x05\x16\x07")
    with pytest.raises(InvalidRequest) as caught:
        create_manifest(tmp_path)
    assert "hidden files" in caught.value.message and "._x.JPG" in caught.value.message
