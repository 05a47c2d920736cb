"""A batch item's second image on a model that cannot end on it, and a camera path on one that takes no picture."""

from __future__ import annotations

from pathlib import Path

from reelgen.core.batch.plan import plan_batch
from tests.core.test_batch import manifest, shots  # noqa: F401  (the keyframe folder fixture)


def test_a_second_image_the_model_cannot_end_on_is_refused_not_dropped(shots: Path) -> None:  # noqa: F811
    item = {"output": "two", "images": ["coffee.jpg", "astronaut.png"], "model": "cogvideox-i2v-tiny"}
    [two] = plan_batch(manifest(shots, [item], width=32, height=32), shots)
    # It was planned from the first image alone, and nothing in its files said the last was left out.
    assert two.request is None and two.error is not None
    assert two.error["param"] == "items[0].images"
    said = two.error["message"]
    assert "images[1] would be the clip's last frame, and cogvideox-i2v-tiny cannot pin one" in said
    assert "wan-i2v-tiny" in said  # a model that can


def test_a_camera_path_on_a_model_that_takes_no_picture_leaves_no_crops_behind(shots: Path) -> None:  # noqa: F811
    item = {
        "output": "hy",
        "images": ["coffee.jpg"],
        "model": "hunyuan-tiny",
        "motion": {"preset": "zoom-in"},
    }
    [hy] = plan_batch(manifest(shots, [item]), shots)
    assert hy.error is not None and "cannot follow a camera path" in hy.error["message"]
    assert not list(shots.rglob("hy.*.png"))
