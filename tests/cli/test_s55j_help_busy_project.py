"""`reelgen --help` on exit codes: a server still rendering the project sent is "busy" (exit 1), as the command exits."""

from __future__ import annotations

from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def test_help_says_a_project_the_server_still_renders_is_busy() -> None:
    result = runner.invoke(app, ["--help"], terminal_width=400)
    said = " ".join(result.output.replace("│", " ").split())
    # It named only a busy output folder, though `project render --server` refused while the server
    # renders that project exits 1 too (since 3f53686a; it exited 2).
    assert result.exit_code == 0
    assert "or the project you sent is still being rendered or exported), cannot be reached" in said, said
