"""``reelgen replay`` of what a batch wrote: a camera-move item's clip, its notes, a filmed still, the summary."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from skimage import data
from typer.testing import CliRunner

from reelgen.cli import app
from tests.cli.replaying import frames, said

runner = CliRunner()
DEFAULTS = {"model": "ltx-tiny", "width": 64, "height": 64, "num_frames": 9, "fps": 8, "steps": 2}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A batch's outputs folder, the batch folder moved elsewhere as a whole after it ran."""
    shots = tmp_path_factory.mktemp("first") / "shots"
    shots.mkdir()
    Image.fromarray(data.astronaut()).resize((256, 256)).save(shots / "astro.png")
    item = {"images": ["astro.png"], "motion": {"preset": "zoom-in"}, "seed": 3}
    items = [{**item, "output": "moving"}, {**item, "output": "still", "model": "ken-burns"}]
    manifest = {"version": 1, "defaults": {**DEFAULTS, "viability_threshold": 0}, "items": items}
    (shots / "manifest.json").write_text(json.dumps(manifest))
    result = runner.invoke(app, ["batch", str(shots / "manifest.json"), "-q"])
    assert result.exit_code == 0, result.output
    moved = tmp_path_factory.mktemp("moved") / "shots"
    shutil.move(shots, moved)
    return moved / "outputs"


def test_a_camera_move_item_replays_to_the_same_frames_from_its_crops_moved_with_it(
    outputs: Path, tmp_path: Path
) -> None:
    # Its keyframes are the crops the batch wrote under outputs/motion-frames, recorded by full path.
    again = tmp_path / "again.mp4"
    result = runner.invoke(app, ["replay", str(outputs / "moving.mp4"), "-o", str(again)])
    assert result.exit_code == 0, result.output
    assert f"using {outputs / 'motion-frames' / 'moving.start.png'}, the same file" in said(result)
    first, second = frames(outputs / "moving.mp4"), frames(again)
    assert len(first) == len(second) and all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))


@pytest.mark.parametrize("notes", ["moving.motion.json", "moving.video_meta.json"])
def test_an_items_notes_name_its_video_to_replay(outputs: Path, notes: str) -> None:
    # It said 'a record with neither a request nor an enhancement' and no more.
    result = runner.invoke(app, ["replay", str(outputs / notes)])
    assert result.exit_code == 2
    wanted = f"{outputs / notes} is a batch item's notes on its video, not its record; replay the video:"
    assert f"{wanted} reelgen replay {outputs / 'moving.mp4'}" in said(result)


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("still.mp4", "is a still image filmed by a batch, with no model;"),
        ("batch-summary.json", "is a batch's summary, not a video;"),
    ],
)
def test_what_replay_cannot_redo_says_the_batch_makes_it_again(outputs: Path, name: str, says: str) -> None:
    result = runner.invoke(app, ["replay", str(outputs / name)])
    assert result.exit_code == 2
    assert f"{outputs / name} {says}" in said(result) and "reelgen batch MANIFEST" in said(result)
