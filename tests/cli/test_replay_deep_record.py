"""A record nested past what the JSON parser follows is refused as no record, not an internal error."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def test_a_sidecar_nested_too_deep_is_said_to_be_no_record(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)  # it was "internal error (RecursionError ...)", exit 1
    result = runner.invoke(app, ["replay", str(deep)])
    assert result.exit_code == 2, result.output
    assert " ".join(result.stderr.split()) == f"error: {deep} is not a reelgen sidecar (invalid JSON)"
