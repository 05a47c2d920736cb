"""Help that sends a reader to a docs/ page works for someone who installed the wheel, which has no docs/."""

from __future__ import annotations

import re

from typer.main import get_command
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.shootout.spec import PromptEntry, PromptsFile, Settings, Weights

runner = CliRunner()


def help_of(*path: str) -> str:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    # Rich draws boxes and wraps: join the words back into one line.
    return " ".join(result.output.replace("│", " ").split())


def command_paths() -> list[tuple[str, ...]]:
    paths: list[tuple[str, ...]] = []

    def walk(command: object, path: tuple[str, ...]) -> None:
        paths.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, (*path, name))

    walk(get_command(app), ())
    return paths


def test_every_help_naming_a_docs_page_says_it_is_not_in_a_wheel() -> None:
    # `reelgen shootout --help` said "see docs/shootout.md" and `manifest schema` "docs/batch.md
    # explains each field": a pip-installed reelgen has no docs/ folder, so the pointer led nowhere.
    alone = [
        " ".join(path)
        for path in command_paths()
        if re.search(r"docs/[\w-]+\.md", text := help_of(*path)) and "not in an installed wheel" not in text
    ]
    assert alone == []


def test_shootout_help_names_every_key_of_the_prompts_file() -> None:
    # Without the guide at hand, the help is where the YAML's keys are learnt.
    text = help_of("shootout")
    keys = [
        *PromptsFile.model_fields,
        *PromptEntry.model_fields,
        *Settings.model_fields,
        *Weights.model_fields,
    ]
    assert [key for key in keys if not re.search(rf"\b{key}\b", text)] == []
    assert "/v1/shootouts" in text


def test_a_shootout_without_prompts_points_to_the_help_not_to_a_docs_file() -> None:
    result = runner.invoke(app, ["shootout", "-m", "reelgen-micro"])
    assert result.exit_code == 2
    assert "docs/" not in result.output
    assert "the help lists the YAML's keys (see 'reelgen shootout --help')" in result.output


def test_manifest_schema_help_says_where_else_the_schema_is_shown() -> None:
    text = help_of("manifest", "schema")
    assert "/v1/batches" in text
