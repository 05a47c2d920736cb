"""A batch item's second image on a model that cannot end on it is told in one sentence, in the item's words."""

from __future__ import annotations

from pathlib import Path

from reelgen.core.batch.plan import plan_batch
from tests.core.test_batch import manifest, shots  # noqa: F401  (the keyframe folder fixture)


def test_two_images_on_reelgen_micro_name_images_not_end_image_and_advise_once(shots: Path) -> None:  # noqa: F811
    item = {"output": "two", "images": ["coffee.jpg", "astronaut.png"], "model": "reelgen-micro"}
    [two] = plan_batch(manifest(shots, [item], width=64, height=64), shots)
    assert two.error is not None and two.error["param"] == "items[0].images"
    said = two.error["message"]
    # It read "... and end_image: reelgen-micro ...; leave it out, or use ...; give one image, or use one of
    # those models": a field no manifest has, and two pieces of advice.
    assert "end_image" not in said and "leave it out" not in said
    assert said.startswith(
        "items[0] (two): images[1] would be the clip's last frame, and reelgen-micro cannot pin one"
    )
    assert said.count("give one image, or use a model that can: ") == 1 and "wan-flf2v" in said
