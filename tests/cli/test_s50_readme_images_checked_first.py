"""An input that is no picture (a clip given as --image, a text file as a keyframe) is refused before the
model loads, as a video, a LoRA or --weights already were: the run stopped there only after its plan."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.encode import write_video
from reelgen.core.types import Video

runner = CliRunner()


def said(result: object) -> str:
    """The command's output with rich's line wrapping undone."""
    return " ".join(str(getattr(result, "output", "")).split())


@pytest.fixture
def not_images(tmp_path: Path) -> dict[str, Path]:
    """A short clip and a text file, as a person has them lying about beside their pictures."""
    clip = tmp_path / "clip.mp4"
    write_video(Video(np.full((9, 64, 64, 3), 90, np.uint8), Fraction(24)), clip)
    notes = tmp_path / "notes.txt"
    notes.write_text("not a picture\n")
    return {"clip": clip, "notes": notes}


@pytest.mark.parametrize(
    ("option", "value", "shown"),
    [
        ("--image", "{clip}", "--image"),
        ("--end-image", "{notes}", "--end-image"),
        ("--keyframe", "4:{clip}", "--keyframe"),
    ],
)
def test_generate_refuses_a_file_that_is_no_image_before_the_model_loads(
    not_images: dict[str, Path], tmp_path: Path, option: str, value: str, shown: str
) -> None:
    out = tmp_path / "never.mp4"
    typed = value.format(clip=not_images["clip"], notes=not_images["notes"])
    extra = []
    if option == "--end-image":  # the start image is a real one here, so the end image is the one refused
        start = tmp_path / "start.png"
        Image.new("RGB", (64, 64), (200, 30, 30)).save(start)
        extra = ["--image", str(start)]
    result = runner.invoke(
        app, ["generate", "a fox", "-m", "ltx-tiny", option, typed, *extra, "-o", str(out)]
    )
    assert result.exit_code == 2, result.output
    assert f"error: {shown}: " in said(result)
    assert "is not a readable image" in said(result)
    assert "valid: BMP, GIF, JPEG, PNG, TIFF, WEBP" in said(result)
    assert "memory plan" not in result.output  # said before the plan, so before any model loads
    assert not out.exists()


def test_animate_refuses_a_clip_given_as_its_image_before_the_model_loads(
    not_images: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "never.mp4"
    result = runner.invoke(
        app, ["animate", str(not_images["clip"]), "it moves", "-m", "wan-i2v-tiny", "-o", str(out)]
    )
    assert result.exit_code == 2, result.output
    assert "error: IMAGE: " in said(result) and "is not a readable image" in said(result)
    assert "memory plan" not in result.output
    assert not out.exists()
