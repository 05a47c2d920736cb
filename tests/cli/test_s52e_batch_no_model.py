"""A manifest whose items name no model, with no defaults.model, is refused before any work (exit 2).

``reelgen manifest create shots`` without --defaults writes such a manifest; ``reelgen batch`` then
planned every item and failed each alike, "names no model", exit 1, as if the run had gone wrong.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name in ("a.png", "b.png"):
        Image.new("RGB", (64, 64), (90, 120, 60)).save(tmp_path / name)
    return tmp_path


def test_a_manifest_made_without_defaults_is_written_then_refused_by_batch(folder: Path) -> None:
    runner = CliRunner()
    made = runner.invoke(app, ["manifest", "create", str(folder)])
    assert made.exit_code == 0, made.output  # a manifest to edit: that is what create says to do
    ran = runner.invoke(app, ["batch", str(folder / "manifest.json"), "-q"])
    assert ran.exit_code == 2, ran.output
    assert "no item names a model and defaults.model is not set" in ran.output
    assert not (folder / "outputs").exists()  # refused before any work


def test_one_item_without_a_model_is_named(folder: Path) -> None:
    manifest = {
        "defaults": {"prompt": "x"},
        "items": [
            {"output": "a", "model": "ken-burns", "images": ["a.png"]},
            {"output": "b", "images": ["b.png"]},
        ],
    }
    (folder / "m.json").write_text(json.dumps(manifest))
    ran = CliRunner().invoke(app, ["batch", str(folder / "m.json"), "-q"])
    assert ran.exit_code == 2, ran.output
    assert "items[1] (b) names no model" in ran.output
