"""A field written without its ':' under a heading (``defaults:`` then ``model reelgen-micro``) is read by YAML as
the heading's text; it was told "should be a mapping of fields (key: value), not 'model reelgen-micro'",
naming not the missing ':'. It is now told to write ``model: reelgen-micro``."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def _words(output: str) -> str:
    """The error line, less the line of the file it may end with: these tests are of the advice before it."""
    return re.sub(r" \(project\.yaml line \d+\)$", "", " ".join(output.split()))


SCENES = "scenes:\n  - prompt: x\n    duration: 1\n"


def _said(folder: Path, text: str) -> str:
    (folder / "project.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["project", "status", str(folder)])
    assert result.exit_code == 2, result.output
    return _words(result.output)


def test_a_default_without_its_colon_is_told_to_add_it(tmp_path: Path) -> None:
    said = _said(tmp_path, "title: T\ndefaults:\n  model reelgen-micro\n" + SCENES)
    assert said == (
        "error: defaults: should be a mapping of fields (key: value), not 'model reelgen-micro'; "
        "write model: reelgen-micro (a ':' and a space after the field's name)"
    )


def test_an_export_setting_without_its_colon_is_told_to_add_it(tmp_path: Path) -> None:
    said = _said(tmp_path, "title: T\n" + SCENES + "export:\n  container webm\n")
    assert said.endswith(
        "not 'container webm'; write container: webm (a ':' and a space after the field's name)"
    )


def test_a_word_that_is_no_field_there_is_not_made_one(tmp_path: Path) -> None:
    said = _said(tmp_path, "title: T\ndefaults:\n  a red model\n" + SCENES)
    assert said == "error: defaults: should be a mapping of fields (key: value), not 'a red model'"


def test_a_transition_type_without_its_colon_is_not_made_a_type_of_two_words(tmp_path: Path) -> None:
    said = _said(tmp_path, "title: T\n" + SCENES + "    transition:\n      type fade\n")
    assert said.endswith("not 'type fade'; write type: fade (a ':' and a space after the field's name)"), said
