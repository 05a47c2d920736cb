"""Two manifests run into one output folder: the second is refused before any work, not written over the first's summary."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image
from skimage import data
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()
DEFAULTS = {
    "model": "ken-burns",
    "width": 64,
    "height": 48,
    "num_frames": 9,
    "fps": 8,
    "motion": {"preset": "zoom-in"},
    "output_dir": "outputs",
}


def _write(path: Path, items: list[dict]) -> Path:
    path.write_text(json.dumps({"defaults": DEFAULTS, "items": items}))
    return path


def test_a_second_manifests_batch_into_the_same_folder_is_refused_naming_the_first(tmp_path: Path) -> None:
    Image.fromarray(data.coffee()).save(tmp_path / "coffee.png")
    part1 = _write(tmp_path / "part1.json", [{"output": "a", "images": ["coffee.png"]}])
    part2 = _write(tmp_path / "part2.json", [{"output": "b", "images": ["coffee.png"]}])
    assert runner.invoke(app, ["batch", str(part1), "-q"]).exit_code == 0
    summary = tmp_path / "outputs" / "batch-summary.json"
    first = summary.read_text()

    result = runner.invoke(app, ["batch", str(part2), "-q"])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert f"output_dir {tmp_path / 'outputs'}: its batch-summary.json is another batch's" in said
    assert f"written by the manifest {part1} (it lists a)" in said and "--output-dir" in said
    assert summary.read_text() == first  # part1's summary kept
    assert not (tmp_path / "outputs" / "b.mp4").exists()  # and part2 made nothing

    # part2 given its own folder runs; part1 changed (one item edited, one added) runs again in its own.
    assert (
        runner.invoke(app, ["batch", str(part2), "-q", "--output-dir", str(tmp_path / "out2")]).exit_code == 0
    )
    _write(
        part1,
        [{"output": "a", "images": ["coffee.png"], "fps": 12}, {"output": "c", "images": ["coffee.png"]}],
    )
    again = runner.invoke(app, ["batch", str(part1), "-q"])
    assert again.exit_code == 0, again.output
    assert json.loads(summary.read_text())["total"] == 2
