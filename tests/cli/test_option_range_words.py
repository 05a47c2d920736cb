"""An option with a min and a max, given a value outside them, is told the whole range it takes."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from reelgen.cli import app


@pytest.mark.parametrize(
    ("argv", "env", "said"),
    [
        (  # it ended at "... greater than or equal to 1", never naming 65535
            ["serve", "--port", "0"],
            {},
            "error: Invalid value for '--port' (env var: 'REELGEN_PORT'): 0 is too small; it takes a whole number from 1 to 65535 (see 'reelgen serve --help')",
        ),
        (
            ["serve"],
            {"REELGEN_PORT": "70000"},
            "error: Invalid value for '--port' (env var: 'REELGEN_PORT'): 70000 is too large; it takes a whole number from 1 to 65535 (see 'reelgen serve --help')",
        ),
        (
            ["serve", "--port", "80a"],
            {},
            "error: --port: '80a' is not a whole number; it takes a whole number from 1 to 65535 "
            "(see 'reelgen serve --help')",
        ),
        (  # "abc" said no range; 500 went to the server, which named only its end
            ["list", "--limit", "abc", "--server", "http://127.0.0.1:9"],
            {},
            "error: --limit: 'abc' is not a whole number; it takes a whole number from 1 to 100 "
            "(see 'reelgen list --help')",
        ),
        (
            ["list", "--limit", "500", "--server", "http://127.0.0.1:9"],
            {},
            "error: Invalid value for '--limit': 500 is too large; it takes a whole "
            "number from 1 to 100 (see 'reelgen list --help')",
        ),
        (
            ["generate", "--gpus", "0", "a fox"],
            {},
            "error: Invalid value for '--gpus': 0 is too small; it takes a whole "
            "number of at least 1 (see 'reelgen generate --help')",
        ),
    ],
)
def test_an_out_of_range_option_says_the_range(argv: list[str], env: dict[str, str], said: str) -> None:
    result = CliRunner().invoke(app, argv, env=env)
    assert " ".join(result.output.split()) == said
    assert result.exit_code == 2
