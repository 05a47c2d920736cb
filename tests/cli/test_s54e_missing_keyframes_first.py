"""A manifest naming keyframe images that are not there stops `reelgen batch` before any item is made."""

from __future__ import annotations

import json
import os
from pathlib import Path

from PIL import Image
from skimage import data
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()
DEFAULTS = {
    "model": "ken-burns",
    "width": 64,
    "height": 48,
    "num_frames": 9,
    "fps": 8,
    "motion": {"preset": "zoom-in"},
}


def test_missing_keyframes_are_named_with_their_items_and_nothing_is_made(tmp_path: Path) -> None:
    shots = tmp_path / "shots"
    shots.mkdir()
    Image.fromarray(data.coffee()).save(shots / "coffee.png")
    (shots / "folder.png").mkdir()
    items = [
        {"output": "fine", "images": ["coffee.png"]},
        {"output": "typo", "images": ["cofee.png"]},
        {"output": "dir", "images": ["coffee.png", "folder.png"]},
    ]
    manifest = shots / "manifest.json"
    manifest.write_text(json.dumps({"defaults": DEFAULTS, "items": items}))
    result = runner.invoke(app, ["batch", str(manifest), "-q"])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert said.startswith(
        f"error: manifest {manifest}: items[1].images[0]: cofee.png does not exist in {shots} "
        "(image paths are relative to the manifest's folder); and items[2].images[1]: folder.png is a folder"
    ), said
    assert "Traceback" not in said
    assert not (shots / "outputs").exists()  # the good item was not made either


def test_a_keyframe_that_is_a_fifo_is_named_as_no_file_not_as_missing(tmp_path: Path) -> None:
    shots = tmp_path / "shots"
    shots.mkdir()
    os.mkfifo(shots / "pipe.png")
    manifest = shots / "manifest.json"
    manifest.write_text(
        json.dumps({"defaults": DEFAULTS, "items": [{"output": "a", "images": ["pipe.png"]}]})
    )
    result = runner.invoke(app, ["batch", str(manifest), "-q"])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert (
        "items[0].images[0]: pipe.png is not a regular file (a pipe, socket or device); give an image file"
        in said
    )
