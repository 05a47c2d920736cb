"""A size the model cannot make fails its items before their keyframes are judged against it.

With ``width: 500`` for LTX-Video (sides multiples of 32), image items were skipped as "aspect 0.00 ...
crop it to 7.81:1", and a batch of them alone ended "0 failed, 2 skipped" with exit status 0: the
person cropped pictures for a size that could never be made, then met the width error.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image

from reelgen.core.batch import run_batch


def test_a_width_the_model_refuses_fails_the_items_not_skips_them(tmp_path: Path) -> None:
    pixels = np.random.default_rng(0).integers(0, 256, (360, 640, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(tmp_path / "a.png")
    manifest = {
        "defaults": {"model": "ltx-tiny", "prompt": "a harbour", "width": 500, "height": 64, "num_frames": 9},
        "items": [{"output": "one", "images": ["a.png"]}, {"output": "two", "images": ["a.png"]}],
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    summary = run_batch(tmp_path / "manifest.json")
    assert summary.skipped == []
    assert [p.output for p in summary.failed] == ["one", "two"]
    assert all("width 500 is not a multiple of 32" in p.reason for p in summary.failed)
    assert {p.param for p in summary.failed} == {"items[0].width", "items[1].width"}
