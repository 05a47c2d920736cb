"""REELGEN_MODELS_DIR naming a file is said once by `reelgen models` and by a model not found, not hidden."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def said(output: str) -> str:
    return " ".join(output.split())


@pytest.fixture
def a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "models.txt"
    path.write_text("not a folder")
    monkeypatch.setenv("REELGEN_MODELS_DIR", str(path))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))  # no model is found elsewhere either
    return path


WARNING = (
    "REELGEN_MODELS_DIR={path} is a file, not a folder, so no model folder is looked for there; "
    "set REELGEN_MODELS_DIR to a folder, or unset it"
)


@pytest.mark.parametrize("extra", [[], ["--json"]])
def test_models_warns_once(a_file: Path, extra: list[str]) -> None:
    # `reelgen info` said it; `reelgen models` listed every model with no word.
    result = runner.invoke(app, ["models", *extra])
    assert result.exit_code == 0
    assert said(result.output).count(f"warning: {WARNING.format(path=a_file)}") == 1


def test_a_model_not_found_does_not_say_it_looked_under_the_file(a_file: Path, tmp_path: Path) -> None:
    # It said "Looked in: FILE/ltx2 and the Hugging Face cache ...".
    result = runner.invoke(app, ["generate", "a cat", "-m", "ltx2", "-o", str(tmp_path / "c.mp4")])
    assert result.exit_code != 0
    assert f"{a_file}/ltx2" not in result.output
    assert said(result.output).count(WARNING.format(path=a_file)) == 1


def test_a_folder_is_said_nothing_of(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REELGEN_MODELS_DIR", str(tmp_path / "models"))
    assert "warning" not in runner.invoke(app, ["models"]).output
