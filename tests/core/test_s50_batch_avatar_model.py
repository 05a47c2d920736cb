"""A batch item naming a talking-avatar model is failed saying what that model makes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from reelgen.core.batch.manifest import Manifest
from reelgen.core.batch.plan import plan_batch


def test_an_avatar_model_with_a_keyframe_is_said_to_make_avatars(tmp_path: Path) -> None:
    noise = np.random.default_rng(0).integers(0, 256, (360, 640, 3), dtype=np.uint8)
    Image.fromarray(noise).save(tmp_path / "face.png")
    manifest = {
        "defaults": {"model": "musetalk-tiny", "prompt": "x"},
        "items": [{"output": "a", "images": ["face.png"]}],
    }
    (item,) = plan_batch(Manifest.model_validate(manifest), tmp_path)
    # Said as "musetalk-tiny makes video from text only and cannot start from an image; drop the
    # images, or use ken-burns or one of ..." and some forty image models.
    assert item.error is not None and item.error["param"] == "items[0].model"
    assert item.error["message"] == (
        "items[0] (a): musetalk-tiny makes talking avatars from a face and a voice (`reelgen avatar`, "
        "POST /v1/avatars), which a batch does not give; use a text- or image-to-video model, or ken-burns"
    )
