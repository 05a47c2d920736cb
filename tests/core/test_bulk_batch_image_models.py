"""A batch item with no images for a model that starts from one is told to add images."""

from __future__ import annotations

from pathlib import Path

from reelgen.core.batch import Manifest, run_batch


def test_an_image_model_with_no_images_is_told_to_add_images(tmp_path: Path) -> None:
    # It was told "give a start image (start_image)", a field no manifest has.
    batch = Manifest.model_validate({"defaults": {"model": "wan-i2v-tiny"}, "items": [{"output": "a"}]})
    summary = run_batch(batch, base_dir=tmp_path)
    (failed,) = summary.failed
    assert "wan-i2v-tiny makes video from an image, and this item gives none; add images" in failed.reason
    assert "start_image" not in failed.reason
    assert summary.counts()["done"] == 0
