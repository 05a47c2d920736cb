"""Every `reelgen` command, option and REELGEN_* variable README.md and docs/ name is one reelgen has."""

from __future__ import annotations

import functools
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from reelgen.api.setting_names import known_names
from reelgen.cli import app

ROOT = Path(__file__).resolve().parents[2]
# docs/benchmarks.md is a log of runs, some with the options of their day.
PAGES = [
    "README.md",
    *sorted(f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md") if p.name != "benchmarks.md"),
]
#: README's example of a misspelled name, which `serve` warns of.
NAMED_AS_TYPOS = {"REELGEN_MAX_QUEU"}
runner = CliRunner()


def command_lines(page: str) -> list[str]:
    """The `reelgen ...` calls of a page: lines of its code blocks and inline code that start with one."""
    text = (ROOT / page).read_text(encoding="utf-8")
    calls: list[str] = []
    in_code, joined = False, ""
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            joined += line.removesuffix("\\")
            if line.endswith("\\"):
                continue  # a command carried on the next line
            # A call starts its line (after any VAR=value), a $( or an &&; YAML that says "reelgen" is none.
            line = re.sub(r"^(?:[A-Z_]+=\S+ )+", "", joined.strip())
            calls += re.findall(r"(?:^|\$\(|&& )(?:\.venv/bin/)?(reelgen(?: [^|;&)#]*)?)", line)
            joined = ""
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    for inline in re.findall(r"`(reelgen [^`]*)`", prose):
        calls += [part.strip() for part in inline.split("&&")]
    return calls


@functools.cache
def cli() -> Any:
    # Building click's tree from the Typer app costs ~0.3 s; it is the same for every call a page names.
    return get_command(app)


def resolve(words: list[str]) -> tuple[Any, list[str]]:
    command: Any = cli()
    path: list[str] = []
    for word in words:
        sub = getattr(command, "commands", {}).get(word)
        if sub is None:
            break
        command, path = sub, [*path, word]
    return command, path


def options_of(command: Any, path: list[str], words: list[str]) -> set[str]:
    if path == ["train-micro"] and words:
        # train-micro hands STEP and its options to the trainer's own parser: ask it for them.
        result = runner.invoke(app, ["train-micro", words[0], "--help"])
        return set(re.findall(r"--[\w-]+|-\w\b", result.output))
    return {name for param in command.params for name in (*param.opts, *param.secondary_opts)} | {"--help"}


def problems(call: str) -> list[str]:
    words = shlex.split(call.replace("$(", "").replace("$", ""))[1:]
    command, path = resolve(words)
    rest = words[len(path) :]
    if rest and not rest[0].startswith("-") and hasattr(command, "commands"):
        # `project render|export|status PROJECT`: each of the alternatives must be a command.
        missing = [alt for alt in rest[0].split("|") if alt not in command.commands]
        if missing or not path and "|" not in rest[0]:
            return [f"{call}: no command {' '.join([*path, rest[0]])}"]
        command, path, rest = command.commands[rest[0].split("|")[0]], [*path, rest[0]], rest[1:]
    known = options_of(command, path, rest)
    return [
        f"{call}: `reelgen {' '.join(path)}` has no option {name}"
        for word in rest
        if re.match(r"--?[A-Za-z]", word) and (name := word.split("=")[0]) not in known
    ]


@pytest.mark.parametrize("page", PAGES)
def test_every_command_and_option_the_page_names_exists(page: str) -> None:
    calls = command_lines(page)
    assert calls or page not in ("README.md", "docs/batch.md")
    assert [problem for call in calls for problem in problems(call)] == []


@pytest.mark.parametrize("page", PAGES)
def test_every_reelgen_variable_the_page_names_is_read(page: str) -> None:
    named = set(re.findall(r"\bREELGEN_[A-Z0-9_]+\b", (ROOT / page).read_text(encoding="utf-8")))
    assert sorted(named - known_names() - NAMED_AS_TYPOS) == []


def test_the_checks_catch_a_command_or_option_that_is_not_there() -> None:
    # The tests above pass on a clean page; these are the mistakes they are there to catch.
    assert problems("reelgen generat x")
    assert problems("reelgen generate x --seeds 4")
    assert problems("reelgen project rendr film")
    assert problems("reelgen train-micro train --outt runs/x")
    assert not problems("reelgen project render|export|status PROJECT --server URL")
    assert not problems('reelgen generate "a fox" -m ltx-2b --frames 121 --seed 42')
