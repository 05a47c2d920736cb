"""A finished batch moved to another folder is reused there, and its summary names the files where they are."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
from PIL import Image

from reelgen.core.batch import run_batch


def test_a_moved_batch_lists_its_outputs_where_they_now_are(tmp_path: Path) -> None:
    first = tmp_path / "shots"
    first.mkdir()
    noise = np.random.default_rng(0).integers(0, 256, (180, 320, 3), dtype=np.uint8)
    Image.fromarray(noise).save(first / "a.png")
    manifest = {
        "defaults": {"model": "ken-burns", "motion": {"preset": "zoom-in"}, "width": 64, "height": 36},
        "items": [{"output": "a", "images": ["a.png"], "num_frames": 2, "fps": 8}],
    }
    (first / "manifest.json").write_text(json.dumps(manifest))
    assert run_batch(first / "manifest.json").counts()["done"] == 1

    moved = tmp_path / "archive" / "shots"
    moved.parent.mkdir()
    shutil.move(first, moved)
    summary = run_batch(moved / "manifest.json")
    # The reused item was listed at its old path, /.../shots/outputs/a.mp4, where nothing is now.
    assert summary.reused == 1
    assert summary.outputs == [str(moved / "outputs" / "a.mp4")]
    written = json.loads((moved / "outputs" / "batch-summary.json").read_text())
    assert written["outputs"] == [str(moved / "outputs" / "a.mp4")]
