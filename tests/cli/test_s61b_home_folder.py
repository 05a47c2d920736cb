"""``~`` in a batch's output_dir, ``--output-dir=~/...`` and a shoot-out's ``-o=~/...`` is the home folder.

Each made a folder named ``~`` in the manifest's (or the current) folder, where image paths in the same
manifest already read ``~`` as home; a shell leaves ``--output-dir=~/renders`` as typed.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    monkeypatch.chdir(tmp_path)
    return folder


def _manifest(folder: Path, **defaults: object) -> Path:
    folder.mkdir()
    picture = (np.random.default_rng(0).random((96, 96, 3)) * 255).astype(np.uint8)
    Image.fromarray(picture).save(folder / "a.png")
    manifest = folder / "m.json"
    settings = {
        "model": "ken-burns",
        "motion": {"preset": "zoom-in"},
        "width": 64,
        "height": 64,
        "seconds": 0.5,
    }
    settings.update(defaults)
    manifest.write_text(json.dumps({"defaults": settings, "items": [{"output": "x", "images": ["a.png"]}]}))
    return manifest


@pytest.mark.parametrize(
    ("defaults", "option", "made"),
    [({"output_dir": "~/renders"}, [], "renders"), ({}, ["--output-dir=~/elsewhere"], "elsewhere")],
)
def test_a_batch_into_a_folder_under_home_writes_there(
    home: Path, tmp_path: Path, defaults: dict[str, object], option: list[str], made: str
) -> None:
    manifest = _manifest(tmp_path / "shots", **defaults)
    result = runner.invoke(app, ["batch", str(manifest), "-q", *option])
    assert result.exit_code == 0, result.output
    assert (home / made / "x.mp4").is_file() and (home / made / "batch-summary.json").is_file()
    assert result.output.strip().splitlines()[-1] == str(home / made / "batch-summary.json")
    assert not (tmp_path / "shots" / "~").exists() and not (tmp_path / "~").exists()


def test_a_shootout_report_under_home_goes_there(home: Path, tmp_path: Path) -> None:
    prompts = tmp_path / "p.txt"
    prompts.write_text("a fox\n")
    # svd-tiny takes only a start image: its trial fails as planned, and the report is written all the same.
    result = runner.invoke(
        app, ["shootout", "-m", "svd-tiny", "-p", str(prompts), "--output=~/compare", "-q"]
    )
    assert result.exit_code == 1, result.output
    assert (home / "compare" / "report.html").is_file()
    assert not (tmp_path / "~").exists()
