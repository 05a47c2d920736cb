"""Two manifests that share an item name and one output folder: the second remade that clip over the first's
and replaced its summary without a word (a shared name read as "the same batch"). The summary now names the
manifest that wrote it, and another manifest is refused; the same one, edited, runs as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image
from skimage import data

from reelgen.core.batch import run_batch
from reelgen.core.batch.manifest import SUMMARY_FILE
from reelgen.core.errors import InvalidRequest

DEFAULTS = {"model": "ken-burns", "width": 64, "height": 64, "num_frames": 9, "fps": 8.0}


def _manifest(path: Path, items: list[tuple[str, str]]) -> Path:
    made = [{"output": o, "images": [i], "motion": {"preset": "zoom-in"}} for o, i in items]
    path.write_text(json.dumps({"defaults": DEFAULTS, "items": made}))
    return path


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    Image.fromarray(data.coffee()).save(tmp_path / "coffee.png")
    Image.fromarray(data.astronaut()).save(tmp_path / "astronaut.png")
    return tmp_path


def test_another_manifest_sharing_an_item_name_is_refused(shots: Path) -> None:
    first = _manifest(shots / "day.json", [("intro", "coffee.png"), ("shared", "coffee.png")])
    assert run_batch(first).done == 2
    summary = json.loads((shots / "outputs" / SUMMARY_FILE).read_text())
    assert summary["manifest"] == str(first.resolve())
    clip = (shots / "outputs" / "shared.mp4").read_bytes()

    second = _manifest(shots / "night.json", [("shared", "astronaut.png"), ("outro", "astronaut.png")])
    with pytest.raises(InvalidRequest) as refused:
        run_batch(second)
    said = refused.value.message
    assert f"another batch's, written by the manifest {first.resolve()} (it lists intro, shared)" in said, (
        said
    )
    assert "this batch would remake shared over that batch's" in said
    assert "give this batch a folder of its own" in said and refused.value.param == "output_dir"
    assert (shots / "outputs" / "shared.mp4").read_bytes() == clip  # not remade
    assert not (shots / "outputs" / "outro.mp4").exists()
    assert json.loads((shots / "outputs" / SUMMARY_FILE).read_text()) == summary


def test_the_same_manifest_edited_runs_again(shots: Path) -> None:
    first = _manifest(shots / "day.json", [("intro", "coffee.png")])
    assert run_batch(first).done == 1
    _manifest(first, [("renamed", "astronaut.png")])  # no item name in common with the summary
    again = run_batch(first)
    assert (again.done, again.reused) == (1, 0)
    assert json.loads((shots / "outputs" / SUMMARY_FILE).read_text())["manifest"] == str(first.resolve())
