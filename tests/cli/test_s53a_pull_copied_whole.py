"""`reelgen pull MODEL` with the model's whole folder already in the models folder downloads nothing.

That folder is looked in before the Hugging Face cache, so every run loads it: the pull downloaded the
model again into the cache (tens of GB, never used) and printed that folder instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core import weights
from reelgen.core.spec.family import Preset
from tests.core.test_s53a_copied_weights_whole import WEIGHT, cut_short, model_folder

runner = CliRunner()


@pytest.fixture
def pulls(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    asked: list[str] = []

    def pull(preset: Preset) -> Path:
        asked.append(preset.name)
        return tmp_path / "hf-cache" / "snapshot"

    monkeypatch.setattr(weights, "pull", pull)
    return asked


def test_a_whole_copy_in_the_models_folder_is_said_and_printed(tmp_path: Path, pulls: list[str]) -> None:
    folder = model_folder(tmp_path / "models" / "ltx-2b")
    result = runner.invoke(app, ["pull", "ltx-2b"])
    assert result.exit_code == 0, result.output
    assert pulls == []
    assert result.stdout.strip() == str(folder)  # the folder every run loads
    assert " ".join(result.stderr.split()) == (
        f"nothing to download for ltx-2b: its whole folder is already in {tmp_path / 'models'}, which is looked "
        "in before the Hugging Face cache (remove that folder first to use a pulled copy)"
    )


def test_a_part_copy_is_still_pulled_and_said_to_stand_before_it(tmp_path: Path, pulls: list[str]) -> None:
    folder = model_folder(tmp_path / "models" / "ltx-2b")
    cut_short(folder / WEIGHT)
    result = runner.invoke(app, ["pull", "ltx-2b"])
    assert result.exit_code == 0, result.output
    assert pulls == ["ltx-2b"]
    assert "warning: it is not used yet: model 'ltx-2b' is only partly copied" in " ".join(
        result.stderr.split()
    )


def test_with_nothing_copied_the_model_is_pulled(pulls: list[str]) -> None:
    result = runner.invoke(app, ["pull", "ltx-2b"])
    assert result.exit_code == 0, result.output
    assert pulls == ["ltx-2b"]


def test_help_says_a_whole_copy_there_is_not_downloaded_again() -> None:
    said = " ".join(runner.invoke(app, ["pull", "--help"], env={"COLUMNS": "200"}).output.split())
    assert (
        "it is looked in before the cache, so a pull of a model whose whole folder is there downloads nothing."
        in said
    )
