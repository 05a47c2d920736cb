"""An empty manifest file is said to be empty, with what a manifest holds, not as JSON at line 1, column 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


@pytest.mark.parametrize("text", ["", "  \n\n", "\ufeff"])
def test_an_empty_manifest_is_named_empty_with_an_example(tmp_path: Path, text: str) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["batch", str(manifest)])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert said.startswith(f"error: manifest {manifest} is empty; a manifest is one JSON object with items")
    assert '{"items": [{"output": "shot-001", "images": ["a.png"]}]}' in said
    assert "line 1" not in said and not (tmp_path / "outputs").exists()
