"""docs/storyboards.md's list of mistakes is what `reelgen project status` says of its full example so edited."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()
DOC = Path(__file__).resolve().parents[2] / "docs" / "storyboards.md"


def _example_and_errors() -> tuple[list[str], str]:
    """The full example's lines, and the block of error lines under *Mistakes are named by scene and field*."""
    text = DOC.read_text()
    full = text[text.index("## A full example") :]
    example = re.search(r"```yaml\n(.*?)```", full, re.S)
    mistakes = text[text.index("## Mistakes are named by scene and field") :]
    errors = re.search(r"```\n(.*?)```", mistakes, re.S)
    assert example is not None and errors is not None
    return example.group(1).splitlines(), " ".join(errors.group(1).split())


#: Each edit of the example (1-based line: new text, "" deletes the line, "+" before the text adds a line).
EDITS = {
    "mapping values": {17: "    prompt: red: a circle moves to the right over a green background"},
    "given twice": {17: "+    prompt: a red square"},
    "prompt is required": {17: ""},
    "unknown scene model": {16: "+    model: reelgen-mikro"},
    "unknown default model": {4: "  model: reelgen-mikro"},
    "default size the model refuses": {5: "+  width: 100"},
    "unknown field": {18: "    duraton: 2.0"},
    "transition too long": {14: "    transition: {type: fade, duration: 3.0}"},
    "transition type": {14: "    transition: {type: disolve, duration: 0.5}"},
}


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_each_documented_mistake_reads_as_the_cli_says_it(tmp_path: Path, edit: str) -> None:
    lines, documented = _example_and_errors()
    assert lines[16].strip().startswith("prompt: a red circle"), "the example moved: update EDITS"
    for number, new in sorted(EDITS[edit].items(), reverse=True):
        if new.startswith("+"):
            lines.insert(number, new[1:])
        elif new:
            lines[number - 1] = new
        else:
            del lines[number - 1]
    (tmp_path / "project.yaml").write_text("\n".join(lines) + "\n")

    result = runner.invoke(app, ["project", "status", str(tmp_path)])

    assert result.exit_code == 2, result.output
    said = " ".join(result.stderr.split())
    assert said.startswith("error: ")
    assert said in documented, f"docs/storyboards.md does not show what the CLI says: {said}"
