"""A prompts file or defaults file in another form than reelgen reads is refused saying what the form is.

A JSON Lines prompts file was told only the YAML parser's "expected '<document start>', but found '{'",
and a defaults file holding a list "must be a mapping of settings": neither said how to write one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def said(output: str) -> str:
    return " ".join(output.split())


def test_a_json_lines_prompts_file_is_told_what_a_prompts_file_is(tmp_path: Path) -> None:
    prompts = tmp_path / "p.jsonl"
    prompts.write_text('{"prompt": "a fox"}\n{"prompt": "an owl"}\n')
    report = tmp_path / "report"
    result = runner.invoke(
        app, ["shootout", "-m", "ltx-tiny,wan-tiny", "-p", str(prompts), "-o", str(report)]
    )
    assert result.exit_code == 2, result.output
    text = said(result.output)
    assert f"prompts file {prompts} line 2, column 1:" in text, text
    assert "a prompts file is YAML (prompts: a list of texts" in text and "not .jsonl" in text, text
    assert "Traceback" not in text and not report.exists()


def test_a_yaml_prompts_file_is_told_the_parsers_words_alone(tmp_path: Path) -> None:
    prompts = tmp_path / "p.yaml"
    prompts.write_text("prompts:\n  - [a, b\n")
    result = runner.invoke(
        app, ["shootout", "-m", "ltx-tiny,wan-tiny", "-p", str(prompts), "-o", str(tmp_path / "r")]
    )
    assert result.exit_code == 2, result.output
    assert "close it with ']'" in said(result.output) and "a prompts file is YAML" not in said(result.output)


@pytest.mark.parametrize(
    ("text", "kind"), [("- a\n- b\n", "a list"), ("just words\n", "a line of text"), ("42\n", "a number")]
)
def test_a_defaults_file_that_is_not_settings_says_how_to_write_them(
    tmp_path: Path, text: str, kind: str
) -> None:
    shots = tmp_path / "shots"
    shots.mkdir()
    Image.new("RGB", (32, 32), (200, 40, 40)).save(shots / "a.png")
    defaults = tmp_path / "d.yaml"
    defaults.write_text(text)
    result = runner.invoke(app, ["manifest", "create", str(shots), "--defaults", str(defaults)])
    assert result.exit_code == 2, result.output
    assert said(result.output).startswith(
        f"error: defaults file {defaults} holds {kind}, not settings: write one setting a line, name: value, "
        "e.g. model: ltx-2b"
    ), result.output
    assert not (shots / "manifest.json").exists()
