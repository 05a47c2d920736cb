"""Resuming a batch: a finished item is reused, but one whose video was cut short or replaced is made again."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from reelgen.core.batch import Manifest, run_batch


def _batch(folder: Path) -> Manifest:
    picture = (np.random.default_rng(0).random((72, 128, 3)) * 255).astype("uint8")
    Image.fromarray(picture).save(folder / "a.png")
    defaults = {
        "model": "ken-burns",
        "motion": {"preset": "zoom-in"},
        "width": 64,
        "height": 36,
        "num_frames": 4,
    }
    return Manifest.model_validate({"defaults": defaults, "items": [{"output": "a", "images": ["a.png"]}]})


def test_a_video_cut_short_after_its_item_finished_is_made_again(tmp_path: Path) -> None:
    manifest = _batch(tmp_path)
    assert run_batch(manifest, base_dir=tmp_path).done == 1
    video = tmp_path / "outputs" / "a.mp4"
    whole = video.read_bytes()
    assert run_batch(manifest, base_dir=tmp_path).reused == 1  # untouched: not made again
    video.write_bytes(whole[: len(whole) // 2])  # a copy stopped part way
    again = run_batch(manifest, base_dir=tmp_path)
    assert (again.done, again.reused) == (1, 0)
    assert video.read_bytes()[:16] == whole[:16] and video.stat().st_size > len(whole) // 2
