"""`reelgen pull` of a model that needs no download succeeds, saying why; an unknown name is still refused."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def _said(text: str) -> str:
    return " ".join(text.split())


def test_a_tiny_model_pulls_as_a_success_saying_there_is_nothing_to_download(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It exited 2 ("there is nothing to pull"): `reelgen pull $M && reelgen generate -m $M` stopped there.
    # A home of its own: the session's may hold tiny builds of earlier tests.
    monkeypatch.setenv("REELGEN_HOME", str(tmp_path))
    result = runner.invoke(app, ["pull", "ltx-tiny"])
    assert result.exit_code == 0, result.output
    assert _said(result.stderr) == (
        "nothing to download for ltx-tiny: it is a tiny model with random weights, built on this machine "
        "the first time it is used"
    )
    assert result.stdout == ""  # no path: the tiny build is made when first used, not here
    assert not (Path(os.environ["REELGEN_HOME"]) / "tiny").exists()  # nor built by the pull (seconds)


def test_a_built_in_model_pulls_as_a_success_printing_where_it_is() -> None:
    result = runner.invoke(app, ["pull", "reelgen-micro"])
    assert result.exit_code == 0, result.output
    assert (
        _said(result.stderr)
        == "nothing to download for reelgen-micro: its weights ship inside the reelgen package"
    )
    where = Path(result.stdout.strip())
    assert (where / "model_index.json").is_file()


def test_a_built_in_model_copied_into_the_models_folder_says_that_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    models = tmp_path / "models"
    monkeypatch.setenv("REELGEN_MODELS_DIR", str(models))
    folder = models / "reelgen-micro"
    (folder / "unet").mkdir(parents=True)
    (folder / "unet" / "config.json").write_text("{}")
    (folder / "unet" / "model.safetensors").write_bytes(b"x")
    (folder / "model_index.json").write_text(json.dumps({"unet": ["diffusers", "UNet3DConditionModel"]}))
    result = runner.invoke(app, ["pull", "reelgen-micro"])
    assert result.exit_code == 0, result.output
    assert f"its folder is already in {models}" in _said(result.stderr)
    assert result.stdout.strip() == str(folder)


def test_a_tiny_model_and_an_unknown_name_together_still_exit_2_before_anything() -> None:
    result = runner.invoke(app, ["pull", "ltx-tiny", "ltx-tinny"])
    assert result.exit_code == 2, result.output
    assert _said(result.stderr).startswith("error: unknown model 'ltx-tinny'; did you mean ltx-tiny")
    assert "nothing to download" not in result.stderr
