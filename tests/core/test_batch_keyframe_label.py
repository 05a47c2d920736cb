"""A manifest item's keyframe that is no image is named as the manifest names it: items[i].images[j]."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from reelgen.core.batch.manifest import Manifest
from reelgen.core.batch.plan import plan_batch

DEFAULTS = {"width": 32, "height": 32, "num_frames": 9, "fps": 8, "prompt": "a slow move"}


@pytest.mark.parametrize("model", ["ltx-tiny", "wan-i2v-tiny"])
def test_a_keyframe_that_is_no_image_is_named_by_item_and_images_index(tmp_path: Path, model: str) -> None:
    """It was param items[1].image, a field no manifest has, and "items[1] (last): image: ..." did not
    say which of the item's keyframes was unreadable."""
    Image.new("RGB", (64, 64), (90, 120, 150)).save(tmp_path / "first.png")
    (tmp_path / "broken.png").write_bytes(b"not an image")
    items = [
        {"output": "fine", "model": model, "images": ["first.png"]},
        {"output": "last", "model": model, "images": ["first.png", "broken.png"]},
    ]
    manifest = Manifest.model_validate({"defaults": DEFAULTS, "items": items})
    fine, last = plan_batch(manifest, tmp_path)
    assert fine.error is None
    assert last.error is not None
    assert last.error["param"] == "items[1].images[1]"
    # Named as the manifest names it, as one that does not exist is (the full path was said twice).
    assert last.error["message"].startswith("items[1].images[1]: broken.png is not a readable image (")
    assert last.error["message"].endswith("valid: BMP, GIF, JPEG, PNG, TIFF, WEBP")
