"""`reelgen shootout --server` names the option a person typed when the server refuses it, as batch does."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from tests.api.conftest import data_dir, make_client  # noqa: F401  (fixtures)
from tests.cli.test_batch_cli import served  # noqa: F401  (the real API behind --server)

runner = CliRunner()


@pytest.mark.usefixtures("served")
def test_a_report_folder_the_server_may_not_use_is_said_as_o(tmp_path: Path) -> None:
    shots = tmp_path / "shots"
    shots.mkdir()
    prompts = shots / "prompts.txt"
    prompts.write_text("a red circle\n")
    elsewhere = tmp_path / "elsewhere"
    argv = ["shootout", "-m", "ltx-tiny", "-p", str(prompts), "-o", str(elsewhere), "-q"]
    result = runner.invoke(app, [*argv, "--server", "http://reelgen.test"])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert said.startswith(f"error: HTTP 403: -o: {elsewhere} is outside the folders this server may use")
    assert "output_folder" not in said and not elsewhere.exists()
