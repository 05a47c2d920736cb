"""REELGEN_HOME, REELGEN_MODELS_DIR and REELGEN_LORA_DIR written with ~ or $HOME (an env or unit file, where no
shell expands them) name the folder meant, as HF_HUB_CACHE does, not a folder literally named "~"."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core import settings

runner = CliRunner()


@pytest.mark.parametrize("written", ["~/models", "$HOME/models", "${HOME}/models"])
def test_the_models_folder_is_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: str) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("REELGEN_MODELS_DIR", written)
    assert settings.models_dir() == tmp_path / "models"
    said = runner.invoke(app, ["info"]).stdout
    assert f"models_dir: {tmp_path / 'models'}" in said


def test_the_home_and_lora_folders_are_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("REELGEN_HOME", "~/rg")
    monkeypatch.setenv("REELGEN_LORA_DIR", "$HOME/loras")
    assert settings.home() == tmp_path / "rg"
    assert settings.lora_dir() == tmp_path / "loras"
    monkeypatch.setenv("REELGEN_LORA_DIR", "")  # set empty: the default under the home, as for the others
    assert settings.lora_dir() == tmp_path / "rg" / "loras"
