"""`reelgen manifest create` and `reelgen batch` given bad paths and devices: one line, exit 2, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def said(output: str) -> str:
    return " ".join(output.split())


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = tmp_path / "shots"
    folder.mkdir()
    Image.new("RGB", (32, 32), (200, 40, 40)).save(folder / "a.png")
    return folder


def test_a_manifest_written_into_a_folder_not_made_yet_makes_it(shots: Path) -> None:
    target = shots.parent / "new" / "deeper" / "m.json"
    result = runner.invoke(app, ["manifest", "create", str(shots), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert [i["output"] for i in json.loads(target.read_text())["items"]] == ["a"]


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_a_folder_as_the_manifest_output_is_refused_even_forced(shots: Path, force: list[str]) -> None:
    folder = shots.parent / "taken"
    folder.mkdir()
    result = runner.invoke(app, ["manifest", "create", str(shots), "-o", str(folder), *force])
    assert result.exit_code == 2, result.output
    assert f"error: --output {folder} is a folder; give a file path in it" in said(result.output)
    assert list(folder.iterdir()) == [] and sorted(p.name for p in shots.parent.iterdir()) == [
        "shots",
        "taken",
    ]


def test_a_manifest_output_under_a_file_is_refused(shots: Path) -> None:
    (shots.parent / "note").write_text("mine")
    result = runner.invoke(
        app, ["manifest", "create", str(shots), "-o", str(shots.parent / "note" / "m.json")]
    )
    assert result.exit_code == 2, result.output
    assert "is a file, not a folder; give a path in a folder" in said(result.output)
    assert "Traceback" not in result.output and not (shots / "manifest.json").exists()


def test_a_folder_given_as_the_defaults_file_is_called_a_folder(shots: Path) -> None:
    result = runner.invoke(app, ["manifest", "create", str(shots), "-d", str(shots)])
    assert result.exit_code == 2
    assert f"error: --defaults {shots} is a folder; give a YAML file of settings" in said(result.output)
    assert not (shots / "manifest.json").exists()


@pytest.mark.parametrize("device", ["tpu", "cuda:99"])
def test_a_device_this_machine_lacks_stops_the_batch_before_any_item(shots: Path, device: str) -> None:
    made = runner.invoke(app, ["manifest", "create", str(shots)])
    assert made.exit_code == 0, made.output
    result = runner.invoke(app, ["batch", str(shots / "manifest.json"), "-q", "--device", device])
    assert result.exit_code == 2, result.output
    assert f"error: --device: device '{device}'" in said(result.output)
    assert not (shots / "outputs").exists()  # no summary of items that all failed on it
