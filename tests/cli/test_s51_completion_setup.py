"""--show-completion / --install-completion take a shell's name, and one they cannot serve is said in
one error line: Typer's flags took none (``--show-completion zsh`` printed bash's script from bash)
and from sh said only "Shell sh not supported."."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def run_from(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if run from bash, whatever runs the tests."""
    monkeypatch.setattr("typer._completion_shared._get_shell_name", lambda: "bash")


def test_a_named_shell_gets_its_own_script() -> None:
    zsh = runner.invoke(app, ["--show-completion", "zsh"], prog_name="reelgen")
    assert zsh.exit_code == 0 and zsh.stdout.startswith("#compdef reelgen")
    fish = runner.invoke(app, ["--show-completion=fish"], prog_name="reelgen")
    assert fish.exit_code == 0 and "complete --command reelgen" in fish.stdout
    found = runner.invoke(app, ["--show-completion"], prog_name="reelgen")
    assert found.exit_code == 0 and "complete -o default -F _reelgen_completion reelgen" in found.stdout


def test_an_unknown_shell_is_refused_naming_the_valid_ones() -> None:
    out = runner.invoke(app, ["--show-completion", "tcsh"], prog_name="reelgen")
    assert out.exit_code == 2 and out.stdout == ""
    assert out.stderr == (
        "error: --show-completion: 'tcsh' is not a shell reelgen completes; "
        "give one of bash, zsh, fish, powershell, pwsh\n"
    )


def test_from_sh_it_says_how_to_name_the_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("typer._completion_shared._get_shell_name", lambda: "sh")
    out = runner.invoke(app, ["--install-completion"], prog_name="reelgen")
    assert out.exit_code == 2 and out.stdout == ""
    assert "your shell is sh, which reelgen cannot complete; name one: reelgen --install-completion bash" in (
        out.stderr
    )


def test_install_writes_the_named_shells_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    out = runner.invoke(app, ["--install-completion", "fish"], prog_name="reelgen")
    assert out.exit_code == 0, out.output
    script = tmp_path / ".config" / "fish" / "completions" / "reelgen.fish"
    assert script.is_file() and f"fish completion installed in {script}" in out.stdout


def test_help_says_a_shell_may_be_named() -> None:
    shown = " ".join(
        runner.invoke(app, ["--help"], prog_name="reelgen", env={"COLUMNS": "80"}).stdout.split()
    )
    assert "--install-completion [SHELL] Install Tab completion for your shell," in shown
    assert "--show-completion [SHELL] Print the completion script for your" in shown
