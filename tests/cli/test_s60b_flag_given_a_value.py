"""A value given to a flag (`--json true`, `--quiet false`) is refused saying the flag takes none.

It said only "Got unexpected extra argument(s) (true)", naming neither the flag nor how to turn it off.
"""

from __future__ import annotations

import pytest

from tests.cli.reelgen_main import run_reelgen


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["models", "--json", "true"], "--json is a flag and takes no value; give --json alone"),
        (["generate", "x", "-q", "yes"], "-q is a flag and takes no value; give -q alone"),
        (
            ["generate", "x", "--quiet", "false"],
            "--quiet is a flag and takes no value; leave --quiet out to turn it off",
        ),
        (
            ["project", "render", ".", "--force", "no"],
            "--force is a flag and takes no value; give --no-force to turn it off",
        ),
    ],
)
def test_a_flag_given_a_value_is_said_to_take_none(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str], args: list[str], said: str
) -> None:
    result = run_reelgen(monkeypatch, capfd, *args)
    assert result.returncode == 2
    assert said in result.stderr and result.stderr.startswith("error: ")
    assert len(result.stderr.splitlines()) == 1 and result.stdout == ""


def test_other_extra_words_are_said_as_before(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    result = run_reelgen(monkeypatch, capfd, "models", "stray")
    assert result.returncode == 2 and "takes no value" not in result.stderr
    assert "unexpected extra argument" in result.stderr
