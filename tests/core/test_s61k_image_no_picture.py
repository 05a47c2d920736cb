"""An input image that is empty or an iPhone's HEIC photo is said to be so, in the API's words, not
"is not a readable image (cannot identify image file)", the words for a broken picture."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.errors import InvalidRequest
from reelgen.core.media import load_image

HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 200
VALID = "valid: BMP, GIF, JPEG, PNG, TIFF, WEBP"


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        ("face.png", b"", "the file is empty (0 bytes)"),
        (
            "IMG_0042.HEIC",
            HEIC,
            "a HEIC/HEIF photo (as an iPhone takes) is not taken here; give it as JPEG or PNG",
        ),
    ],
)
def test_an_image_that_is_no_picture_says_what_it_is(
    tmp_path: Path, name: str, data: bytes, said: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InvalidRequest) as caught:
        load_image(path, "--image")
    assert caught.value.message == f"--image: {path}: {said}; {VALID}"
    assert caught.value.param == "--image"
    # And as `reelgen generate` says it, before any model.
    result = CliRunner().invoke(
        app, ["generate", "-m", "reelgen-micro", "--image", str(path), "a fox", "-o", str(tmp_path / "x.mp4")]
    )
    told = " ".join(result.output.split())
    assert result.exit_code == 2, told
    assert said in told and "cannot identify" not in told, told


def test_a_broken_picture_keeps_its_words(tmp_path: Path) -> None:
    path = tmp_path / "half.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n broken")
    with pytest.raises(InvalidRequest) as caught:
        load_image(path, "--image")
    assert caught.value.message.startswith(f"--image: {path} is not a readable image (")
    assert caught.value.message.endswith(VALID)
