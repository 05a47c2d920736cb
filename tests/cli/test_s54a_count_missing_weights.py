"""`generate --count` on a model with no weights here: refused before any take is announced."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def test_count_on_a_model_not_pulled_names_the_pull_and_no_take(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It printed "take 1/4: seed 42 -> waves-1.mp4" and then the missing-weights error, which read as
    # if a take had begun; a single generate says only the error.
    monkeypatch.setenv("REELGEN_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(
        app,
        ["generate", "waves at dusk", "-m", "wan-1.3b", "--seed", "42", "--count", "4", "-o", "waves.mp4"],
    )
    assert result.exit_code == 2
    assert "take 1/4" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: model 'wan-1.3b'")
    assert "reelgen pull wan-1.3b" in lines[0]
    assert not list(tmp_path.glob("waves*"))
