"""`reelgen pull` Tab completion offers the tiny and built-in models pull takes (exit 0, "nothing to
download") once nothing with weights to fetch starts with what was typed."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from reelgen.cli import app


def _offered(words: str) -> list[str]:
    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    env = {"_REELGEN_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    return CliRunner().invoke(app, [], env=env, prog_name="reelgen").output.split()


@pytest.mark.parametrize(("typed", "name"), [("ltx-t", "ltx-tiny"), ("reelgen-mi", "reelgen-micro")])
def test_pull_completes_a_tiny_or_built_in_name_and_pull_takes_it(typed: str, name: str) -> None:
    # Nothing was offered: the completion left them out as names "pull refuses", which it no longer does.
    assert _offered(f"reelgen pull {typed}") == [name]
    pulled = CliRunner().invoke(app, ["pull", name])
    assert pulled.exit_code == 0, pulled.output
    assert f"nothing to download for {name}:" in pulled.output


def test_pull_tab_with_nothing_typed_stays_the_models_to_download() -> None:
    offered = _offered("reelgen pull ")
    assert "ltx-2b" in offered and "rife" in offered
    assert not any(name.endswith("-tiny") for name in offered)  # 20-odd of them would crowd the list
