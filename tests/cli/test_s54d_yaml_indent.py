"""A project.yaml line indented out of step with the lines above it is said as the indentation to give
it, naming the line it goes with, not as PyYAML's "expected <block end>, but found '<block mapping start>'"."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()

_HEAD = "title: T\nscenes:\n  - id: a\n    prompt: a red ball\n"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        # A scene's field one space short of its siblings.
        (
            _HEAD + "   duration: 1\n",
            "project.yaml line 5, column 4: `duration: 1` is indented 3 spaces, which fits none of the "
            "lines above it (YAML reads what belongs to what from the indentation); indent it 4 spaces, "
            "in line with `prompt: a red ball` (line 4)",
        ),
        # A scene's field in line with the list's '-', not with the field after it.
        (
            "title: T\nscenes:\n  - id: a\n  prompt: x\n",
            "project.yaml line 4, column 3: `prompt: x` is indented 2 spaces, which fits none of the "
            "lines above it (YAML reads what belongs to what from the indentation); indent it 4 spaces, "
            "in line with `id: a` (line 3), or no spaces, in line with `scenes:` (line 2)",
        ),
        # A second scene's '-' one space further in than the first one's.
        (
            _HEAD + "    duration: 1\n   - id: b\n    prompt: y\n",
            "project.yaml line 6, column 4: `- id: b` is indented 3 spaces, which fits none of the "
            "lines above it (YAML reads what belongs to what from the indentation); indent it 2 spaces, "
            "in line with `- id: a` (line 3)",
        ),
        # A transition's second field between its first field and the scene's.
        (
            _HEAD + "    duration: 1\n    transition:\n      type: fade\n     duration: 0.5\n",
            "project.yaml line 8, column 6: `duration: 0.5` is indented 5 spaces, which fits none of the "
            "lines above it (YAML reads what belongs to what from the indentation); indent it 6 spaces, "
            "in line with `type: fade` (line 7), or 4 spaces, in line with `transition:` (line 6)",
        ),
        # A scene's field indented under the one before it, which has its value: no ': ' to quote.
        (
            _HEAD + "      seed: 3\n",
            "project.yaml line 5, column 11: `seed: 3` is indented 6 spaces, under `prompt: a red ball` (line 4), "
            "which has its value already, so YAML reads it as more of that value; indent it 4 spaces, "
            "in line with `prompt: a red ball` (line 4)",
        ),
        # A second scene with no space after its '-'.
        (
            _HEAD + "  -id: b\n",
            "project.yaml line 5, column 3: `-id: b` needs a space after its '-' to be a list item: write `- id: b`",
        ),
        # A top-level field indented under a field that already has its value.
        (
            "title: T\n  scenes:\n  - id: a\n",
            "project.yaml line 2, column 9: `scenes:` is indented 2 spaces, under `title: T` (line 1), "
            "which has its value already, so YAML reads it as more of that value; indent it no spaces, "
            "in line with `title: T` (line 1)",
        ),
    ],
)
def test_a_line_indented_out_of_step_is_told_where_it_goes(tmp_path: Path, text: str, said: str) -> None:
    (tmp_path / "project.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["project", "status", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert result.output.strip() == f"error: {said}"
    assert not (tmp_path / "state.json").exists()


def test_a_literal_block_prompt_is_not_taken_for_fields(tmp_path: Path) -> None:
    """The lines of a ``prompt: |`` text are no fields: a field after them is told the scene's column."""
    text = (
        _HEAD.replace("prompt: a red ball", "prompt: |\n      a red ball\n      rolling") + "   duration: 1\n"
    )
    (tmp_path / "project.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["project", "status", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "indent it 4 spaces, in line with `prompt: |` (line 4)" in result.output
    assert "rolling" not in result.output


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            _HEAD + "    duration 1\n",
            "project.yaml line 5, column 5: `duration 1` has no ':' after its name; write `duration: 1`",
        ),
        (
            _HEAD + "    duration:1\n    seed: 2\n",
            "project.yaml line 5, column 5: `duration:1` needs a space after its ':'; write `duration: 1`",
        ),
        (
            "title T\nscenes:\n  - prompt: x\n",
            "project.yaml line 1, column 1: `title T` has no ':' after its name; write `title: T`",
        ),
    ],
)
def test_a_field_without_its_colon_is_told_how_to_write_it(tmp_path: Path, text: str, said: str) -> None:
    """PyYAML's "could not find expected ':'" named the line after the field, and "mapping values are
    not allowed here" the field after it; the line to mend is the field's own."""
    (tmp_path / "project.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["project", "status", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert result.output.strip() == f"error: {said}"
