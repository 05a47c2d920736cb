"""README.md and docs/*.md read as a new user reads them: the names and lines they quote are the code's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.errors import InvalidRequest
from reelgen.core.shootout import load_prompts
from reelgen.core.spec import registry

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def doc(name: str) -> str:
    return " ".join((ROOT / name).read_text(encoding="utf-8").split())


def test_micro_doc_names_the_runner_class_and_module_that_load_the_model() -> None:
    # It named a `MicroBackend.load` that no module defines, so a reader looked for it in vain.
    spec, _ = registry.resolve("reelgen-micro")
    module, cls = spec.runner.split(":")
    text = doc("docs/micro.md")
    assert f"`{cls}`" in text
    assert f"`{module.removeprefix('reelgen.').replace('.', '/')}.py`" in text.replace("`reelgen/", "`")


@pytest.mark.parametrize("args", [["--height", "500"], ["--frames", "80"]])
def test_the_size_errors_readme_quotes_are_the_lines_generate_prints(args: list[str]) -> None:
    # README quoted "80 frames is not 8k+1 ..." where the command prints "--frames: 80 frames ...".
    quoted = re.findall(r"`(--[a-z]+:? \d+ [^`]*nearest valid[^`]*)`", doc("README.md"))
    line = next(q for q in quoted if q.startswith(args[0]))
    result = runner.invoke(app, ["generate", "x", "-m", "ltx-tiny", *args, "-q"])
    assert result.exit_code == 2
    assert f"error: {line}" in result.output.splitlines()


def test_the_prompt_id_rule_shootout_doc_gives_is_the_one_enforced(tmp_path: Path) -> None:
    # The doc left out that an id must start with a letter or digit, so "-take" looked valid.
    path = tmp_path / "prompts.yaml"
    path.write_text("prompts:\n  - id: -take\n    prompt: a fox\n")
    with pytest.raises(InvalidRequest, match="starting with a letter or digit"):
        load_prompts(path)
    assert "`_` and `-`, starting with a letter or digit" in doc("docs/shootout.md")
