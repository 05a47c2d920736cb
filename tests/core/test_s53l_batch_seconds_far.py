"""A batch item's ``seconds`` the model cannot come close to is that item's error, not a longer clip."""

from __future__ import annotations

from pathlib import Path

from reelgen.core.batch import Manifest, plan_batch


def test_a_hundredth_of_a_second_is_the_items_error(tmp_path: Path) -> None:
    # The item was planned as 5 frames at 12 fps: a 0.417 s clip for 0.01 s.
    batch = Manifest.model_validate(
        {
            "defaults": {"model": "reelgen-micro", "width": 64, "height": 64},
            "items": [
                {"output": "short.mp4", "prompt": "a fox", "seconds": 0.01},
                {"output": "fine.mp4", "prompt": "a fox", "seconds": 1},
            ],
        }
    )
    short, fine = plan_batch(batch, tmp_path)
    assert short.error is not None
    assert "0.01 s at 12 fps would be 0.417 s (5 frames)" in str(short.error)
    assert fine.error is None
