"""`reelgen shootout`: a failed server job said as it is, and a report kept off its prompts file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.cli import shootout as shootout_cli

runner = CliRunner()


def test_a_failed_jobs_message_with_brackets_is_printed_not_an_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failed(*_: Any, **__: Any) -> dict[str, Any]:
        return {"status": "failed", "error": {"message": "could not read x[/].png or [b]y.png"}}

    monkeypatch.setattr(shootout_cli, "run_on_server", failed)  # the server's answer, without a server
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("a fox\n")
    args = ["shootout", "-m", "ltx-tiny", "-p", str(prompts), "-o", str(tmp_path / "out")]
    result = runner.invoke(app, [*args, "--server", "http://127.0.0.1:9"])
    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())
    assert "shoot-out failed: could not read x[/].png or [b]y.png" in said
    assert "internal error" not in said


def test_a_report_is_not_written_over_its_prompts_file(tmp_path: Path) -> None:
    # -p compare/results.json -o compare: the results replaced the prompts, after every trial had run.
    prompts = tmp_path / "results.json"
    prompts.write_text('{"prompts": ["a fox"]}')
    result = runner.invoke(app, ["shootout", "-m", "wan-tiny", "-p", str(prompts), "-o", str(tmp_path)])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert f"--output: the report's results.json would replace the prompts file {prompts}" in said
    assert prompts.read_text() == '{"prompts": ["a fox"]}' and [p.name for p in tmp_path.iterdir()] == [
        "results.json"
    ]
