"""`reelgen shootout --server` says a failed job's message as it is, brackets and all."""

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
