"""An item whose request fails once its camera path's crops are written leaves no crops behind."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image

from reelgen.core.batch import run_batch


def _manifest(folder: Path, height: int) -> Path:
    noise = np.random.default_rng(0).integers(0, 256, (360, 640, 3), dtype=np.uint8)
    Image.fromarray(noise).save(folder / "a.png")
    manifest = {
        "defaults": {"model": "ltx-tiny", "prompt": "a harbour", "width": 64, "height": height},
        "items": [{"output": "shot", "images": ["a.png"], "motion": {"preset": "zoom-in"}}],
    }
    path = folder / "manifest.json"
    path.write_text(json.dumps(manifest))
    return path


def test_an_item_failing_after_its_crops_were_cut_leaves_no_crops(tmp_path: Path) -> None:
    # Height 48 is no multiple of 32 for LTX-Video: the request fails after the path's start and end
    # crops were written, which stayed in motion-frames/ for an item the summary calls failed.
    summary = run_batch(_manifest(tmp_path, 48))
    assert summary.counts()["failed"] == 1
    assert "height 48 is not a multiple of 32" in summary.failed[0].reason
    crops = tmp_path / "outputs" / "motion-frames"
    assert not crops.exists() or list(crops.iterdir()) == []
    assert sorted(p.name for p in (tmp_path / "outputs").iterdir()) == ["batch-summary.json"]
