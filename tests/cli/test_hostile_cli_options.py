"""--option values no one would type on purpose: one line naming the option, exit 2, before any work."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def said(output: str) -> str:
    return " ".join(output.split())


@pytest.mark.parametrize("command", [["generate", "x", "-m", "ltx-tiny", "--frames", "9"], ["enhance", "IN"]])
def test_an_option_nested_past_reading_is_refused_by_name(tmp_path: Path, command: list[str]) -> None:
    # JSON of 20000 nested lists was 'internal error (RecursionError: maximum recursion depth ...)', exit 1.
    source = tmp_path / "in.mp4"
    source.write_bytes(b"never read")
    out = tmp_path / "out.mp4"
    deep = "[" * 20_000 + "]" * 20_000
    args = [str(source) if part == "IN" else part for part in command]
    result = runner.invoke(app, [*args, "--upscale", "2", "--option", f"zzz={deep}", "-o", str(out), "-q"])
    assert result.exit_code == 2, result.output[-500:]
    assert "--option zzz nests lists or objects too deeply to read" in said(result.output)
    assert "internal error" not in result.output and "Traceback" not in result.output
    assert not out.exists()
