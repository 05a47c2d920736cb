"""A project folder named with a leading '-': ``reelgen project new -dash`` said only "No such option:
-d", with no word that such a name goes after ``--``; and once made, the render it named was read as
options in turn."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def said(args: list[str]) -> tuple[int, str]:
    result = runner.invoke(app, args)
    return result.exit_code, " ".join(result.output.split())


def test_a_name_read_as_options_is_shown_after_dashes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert said(["project", "new", "-dash", "--title", "Dash"]) == (
        2,
        "error: No such option: -d; '-dash' starts with '-', so it was read as options: if it is the NAME "
        "argument, put it after --, as in reelgen project new --title Dash -- -dash "
        "(see 'reelgen project new --help')",
    )
    assert not (tmp_path / "-dash").exists()
    # The line it gives makes the project, and the render it then names reads the name as a folder.
    code, out = said(["project", "new", "--title", "Dash", "--", "-dash"])
    assert code == 0 and (tmp_path / "-dash" / "project.yaml").is_file(), out
    assert "then `reelgen project render -- -dash`" in out


def test_an_unknown_option_with_the_argument_given_is_said_as_before(tmp_path: Path) -> None:
    # The folder is there: -x is a mistyped option, not a name.
    assert said(["project", "new", str(tmp_path / "film"), "-x"]) == (
        2,
        "error: No such option: -x (see 'reelgen project new --help')",
    )
