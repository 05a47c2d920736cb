"""A mistyped command line is one line, ``error: ...``, naming the help to read; exit status 2."""

from __future__ import annotations

from typing import NoReturn

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.spec import registry
from tests.cli.reelgen_main import run_reelgen

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["generate", "a fox", "--frames", "abc"],
            "error: --frames: 'abc' is not a whole number; it takes a whole number from 1 to 100000 "
            "(see 'reelgen generate --help')",
        ),
        (
            ["generat", "a fox"],
            "error: reelgen has no command 'generat'; did you mean generate? (see 'reelgen --help')",
        ),
        # A group's unknown word named neither its commands nor, below the top level, the near one.
        (
            ["project", "rendr"],
            "error: reelgen project has no command 'rendr'; did you mean render? Its commands are new, "
            "render, export, status, schema (see 'reelgen project --help')",
        ),
        (
            ["manifest", "run", "m.json"],
            "error: reelgen manifest has no command 'run'; its commands are create, schema "
            "(see 'reelgen manifest --help')",
        ),
        (["project", "new"], "error: Missing argument 'name'. (see 'reelgen project new --help')"),
        (
            ["generate", "a fox", "--count", "0"],
            "error: Invalid value for '--count': 0 is not from 1 to 100; give how many takes to make "
            "(see 'reelgen generate --help')",
        ),
    ],
)
def test_a_usage_error_is_one_line_that_names_the_help(args: list[str], line: str) -> None:
    # It was drawn in a box of wrapped rich text under the usage line: five or six lines for one mistake.
    result = runner.invoke(app, args, prog_name="reelgen")
    assert result.exit_code == 2
    assert result.output.splitlines() == [line]


def test_the_installed_command_says_it_the_same_way_and_a_bare_group_still_shows_its_help(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    # Through main(), the `reelgen` script's entry point, run in this process (reelgen_main.py says why).
    bad = run_reelgen(monkeypatch, capfd, "generate", "a fox", "--bogus")
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.splitlines()[-1].startswith("error: No such option: --bogus")
    assert "Traceback" not in bad.stderr
    bare = run_reelgen(monkeypatch, capfd, "project")
    assert bare.returncode == 2 and "Usage:" in bare.stdout and "render" in bare.stdout
    assert "error:" not in bare.stderr


def test_a_failure_reelgen_did_not_foresee_is_one_line_and_a_traceback_on_request(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    # A model's tensor-size error came out as a 60-line traceback.
    def boom(*a: object, **k: object) -> NoReturn:
        raise RuntimeError("Sizes of tensors must match")

    monkeypatch.setattr(registry, "presets", boom)
    monkeypatch.delenv("REELGEN_TRACEBACK", raising=False)
    plain = run_reelgen(monkeypatch, capfd, "models")
    assert plain.returncode == 1 and "Traceback" not in plain.stderr
    assert plain.stderr.splitlines()[-1] == (
        "error: internal error (RuntimeError: Sizes of tensors must match); run again with "
        "REELGEN_TRACEBACK=1 to see where, and report it"
    )
    # On request main() lets the failure out, and Python prints its traceback and exits 1, as for any
    # uncaught exception; run in this process, it arrives here.
    monkeypatch.setenv("REELGEN_TRACEBACK", "1")
    with pytest.raises(RuntimeError, match="Sizes of tensors must match"):
        run_reelgen(monkeypatch, capfd, "models")
