"""Where reelgen keeps things: an empty REELGEN_HOME or REELGEN_MODELS_DIR is unset, never the current folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core import settings


def test_empty_folder_variables_mean_the_defaults_not_the_current_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("REELGEN_HOME", "")
    monkeypatch.setenv("REELGEN_MODELS_DIR", "")
    assert settings.home() == Path.home() / ".cache" / "reelgen"
    assert settings.models_dir() == settings.home() / "models"
    monkeypatch.setenv("REELGEN_HOME", str(tmp_path / "data"))
    assert settings.models_dir() == tmp_path / "data" / "models"
    monkeypatch.setenv("REELGEN_MODELS_DIR", str(tmp_path / "weights"))
    assert settings.models_dir() == tmp_path / "weights"
