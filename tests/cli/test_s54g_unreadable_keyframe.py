"""A keyframe that is there but no image (a text file named bad.png, a PNG cut short) failed only its item once
the others were made (exit 1), its message naming the full path twice; now the batch is refused before any work
(exit 2), the image named once, as a missing one is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image
from skimage import data
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.errors import InvalidRequest
from reelgen.core.media import load_image

DEFAULTS = {"model": "ken-burns", "width": 64, "height": 64, "num_frames": 9, "fps": 8}


def _shots(folder: Path, bad: bytes) -> Path:
    Image.fromarray(data.coffee()).save(folder / "ok.png")
    (folder / "bad.png").write_bytes(bad)
    items = [
        {"output": "a", "images": ["ok.png"], "motion": {"preset": "zoom-in"}},
        {"output": "b", "images": ["bad.png"], "motion": {"preset": "zoom-in"}},
    ]
    manifest = folder / "m.json"
    manifest.write_text(json.dumps({"defaults": DEFAULTS, "items": items}))
    return manifest


@pytest.mark.parametrize("kind", ["text", "cut short"])
def test_an_unreadable_keyframe_refuses_the_batch_before_any_work(tmp_path: Path, kind: str) -> None:
    Image.fromarray(data.astronaut()).save(tmp_path / "whole.png")
    whole = (tmp_path / "whole.png").read_bytes()
    manifest = _shots(tmp_path, b"not an image\n" if kind == "text" else whole[: len(whole) // 2])
    result = CliRunner().invoke(app, ["batch", str(manifest), "-q"])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert "items[1].images[0]: bad.png is not a readable image" in said, said
    assert "valid: BMP, GIF, JPEG, PNG, TIFF, WEBP" in said
    assert said.count("bad.png") == 1 and "fix the paths or files, or remove those items" in said, said
    assert not (tmp_path / "outputs" / "a.mp4").exists()  # nothing made first


def test_the_loaders_message_names_the_path_once(tmp_path: Path) -> None:
    (tmp_path / "bad.png").write_text("not an image")
    with pytest.raises(InvalidRequest) as refused:
        load_image(tmp_path / "bad.png", "image")
    assert refused.value.message.count("bad.png") == 1, refused.value.message


def test_an_image_of_a_format_no_keyframe_takes_is_refused_before_any_work(tmp_path: Path) -> None:
    manifest = _shots(tmp_path, b"")
    Image.new("RGB", (64, 48), "red").save(tmp_path / "bad.png", format="ICO")  # named .png, an icon inside
    result = CliRunner().invoke(app, ["batch", str(manifest), "-q"])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert "items[1].images[0]: bad.png is in ICO format, which a keyframe cannot be; valid: BMP" in said
    assert not (tmp_path / "outputs" / "a.mp4").exists()
