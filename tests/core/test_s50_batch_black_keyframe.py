"""A Ken Burns item over a black picture is failed naming the manifest's field, not the request's."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image

from reelgen.core.batch import run_batch


def test_a_black_keyframe_is_named_as_the_items_image(tmp_path: Path) -> None:
    Image.new("RGB", (320, 180), (3, 3, 3)).save(tmp_path / "dark.png")
    manifest = {
        "defaults": {"model": "ken-burns", "motion": {"preset": "zoom-in"}, "viability_threshold": 0},
        "items": [{"output": "night", "images": ["dark.png"], "width": 64, "height": 36, "num_frames": 2}],
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    summary = run_batch(tmp_path / "manifest.json")
    (problem,) = summary.failed
    # Said as "image: /.../dark.png is black ...", param "image": a field no manifest has.
    assert problem.param == "items[0].images[0]"
    assert problem.reason.startswith(f"items[0].images[0]: {tmp_path / 'dark.png'} is black")
    written = json.loads((tmp_path / "outputs" / "batch-summary.json").read_text())
    assert written["failed"][0]["param"] == "items[0].images[0]"
    assert not (tmp_path / "outputs" / "night.mp4").exists()
