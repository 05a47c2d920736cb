"""A name given twice to `reelgen pull` is pulled once: it was fetched (or failed, said in full) twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app


def test_a_repeated_name_is_pulled_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reelgen.core.enhance import weights

    monkeypatch.setenv("REELGEN_HOME", str(tmp_path))
    asked: list[str] = []

    def pull(name: str) -> Path:
        asked.append(name)
        return tmp_path / "models" / name

    monkeypatch.setattr(weights, "pull", pull)
    result = CliRunner().invoke(app, ["pull", "rife", "realesrgan", "rife"])
    assert result.exit_code == 0, result.output
    assert asked == ["rife", "realesrgan"]
    assert result.stdout.splitlines() == [
        str(tmp_path / "models" / "rife"),
        str(tmp_path / "models" / "realesrgan"),
    ]
