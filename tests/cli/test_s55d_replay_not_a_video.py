"""``reelgen replay`` of a batch's summary or manifest, or a shoot-out's results: each says what replay takes and
names the clip to replay and the manifest to run (the summary said "run `reelgen batch MANIFEST`", naming no
file though it records it; a manifest was "a record with neither a request nor an enhancement")."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from PIL import Image
from skimage import data
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.batch import run_batch

runner = CliRunner()
TAKES = "replay makes again a video made by generate, animate, avatar, enhance or project render"


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """A batch of one filmed still (no model), run: its manifest, clip and summary."""
    folder = tmp_path / "my shots"  # a space: the commands said are quoted to copy
    folder.mkdir()
    Image.fromarray(data.coffee()).save(folder / "coffee.png")
    defaults = {"model": "ken-burns", "width": 64, "height": 48, "num_frames": 9, "fps": 8}
    item = {"output": "cup", "images": ["coffee.png"], "motion": {"preset": "zoom-in"}}
    (folder / "manifest.json").write_text(json.dumps({"version": 1, "defaults": defaults, "items": [item]}))
    assert run_batch(folder / "manifest.json").done == 1
    return folder


def _said(path: Path) -> str:
    result = runner.invoke(app, ["replay", str(path)])
    assert result.exit_code == 2, result.output
    return " ".join(result.output.split())


def test_a_summary_names_a_clip_to_replay_and_the_manifest_to_run(shots: Path) -> None:
    summary = shots / "outputs" / "batch-summary.json"
    clip = shlex.quote(str(shots / "outputs" / "cup.mp4"))
    assert _said(summary) == (
        f"error: {summary} is a batch's summary, not a video; {TAKES}: replay one of its clips "
        f"(`reelgen replay {clip}`), or run `reelgen batch {shlex.quote(str(shots / 'manifest.json'))}` "
        "again: it makes the items not finished yet (delete an item's clip to make that one again)"
    )


def test_a_summary_whose_manifest_and_clips_are_gone_says_manifest(shots: Path) -> None:
    summary = shots / "outputs" / "batch-summary.json"
    (shots / "manifest.json").unlink()
    (shots / "outputs" / "cup.mp4").unlink()
    assert _said(summary).endswith(
        f"{TAKES}: run `reelgen batch MANIFEST` again: it makes the items not finished yet "
        "(delete an item's clip to make that one again)"
    )


def test_a_manifest_says_to_run_it_with_batch(shots: Path) -> None:
    manifest = shots / "manifest.json"
    assert _said(manifest) == (
        f"error: {manifest} is a batch manifest, not a video; {TAKES}: run it with "
        f"`reelgen batch {shlex.quote(str(manifest))}`"
    )
