"""A batch run again puts back the companion files deleted since, rather than calling the item done."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from skimage import data

from reelgen.core.batch import Manifest, run_batch


@pytest.fixture
def made(tmp_path: Path) -> tuple[Manifest, Path]:
    Image.fromarray(data.coffee()).save(tmp_path / "coffee.png")
    batch = Manifest.model_validate(
        {
            "defaults": {"model": "ken-burns", "width": 64, "height": 64, "num_frames": 9, "fps": 8.0},
            "items": [{"output": "shot", "images": ["coffee.png"], "motion": {"preset": "zoom-in"}}],
        }
    )
    assert run_batch(batch, base_dir=tmp_path).done == 1
    return batch, tmp_path


@pytest.mark.parametrize("companion", ["shot.json", "shot.motion.json"])
def test_a_deleted_companion_is_made_again(made: tuple[Manifest, Path], companion: str) -> None:
    # The run said "1 of 1 done (1 from an earlier run)" and left the file missing.
    batch, folder = made
    (folder / "outputs" / companion).unlink()
    again = run_batch(batch, base_dir=folder)
    assert (again.done, again.reused) == (1, 0)
    assert (folder / "outputs" / companion).is_file()
    assert run_batch(batch, base_dir=folder).reused == 1  # whole again: reused as before


@pytest.mark.parametrize("companion", ["b.video_meta.json", "b.motion.json"])
def test_a_folder_in_a_companions_place_fails_that_item_alone(tmp_path: Path, companion: str) -> None:
    # The batch ended once the item had rendered: "cannot write .../b.video_meta.json (Is a directory)".
    Image.fromarray(data.coffee()).save(tmp_path / "coffee.png")
    (tmp_path / "outputs" / companion).mkdir(parents=True)
    item = {"images": ["coffee.png"], "motion": {"preset": "zoom-in"}}
    batch = Manifest.model_validate(
        {
            "defaults": {"model": "ken-burns", "width": 64, "height": 64, "num_frames": 9, "fps": 8.0},
            "items": [{"output": "a", **item}, {"output": "b", **item}],
        }
    )
    summary = run_batch(batch, base_dir=tmp_path)
    (failed,) = summary.failed
    assert (summary.done, failed.output) == (1, "b")
    assert f"{companion} is a folder; reelgen keeps a file of that name there" in failed.reason
    assert not (tmp_path / "outputs" / "b.mp4").exists()
