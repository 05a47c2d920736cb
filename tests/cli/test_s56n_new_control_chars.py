"""`reelgen project new` with a control character in the name is refused with its name said."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("a\nb", "'a\\nb' holds a line break (\\n) after 'a'"),
        ("ab\tc", "a tab (\\t) after 'ab'"),
        ("x\x07", "U+0007"),
    ],
)
def test_a_control_character_in_the_name_is_refused(tmp_path: Path, name: str, said: str) -> None:
    """A line break made a folder whose name broke every listing and command line showing it."""
    result = runner.invoke(app, ["project", "new", str(tmp_path / name)])
    assert result.exit_code == 2, result.output
    words = " ".join(result.output.split())
    assert said in words, words
    assert "letters of any script, digits, spaces and punctuation, but no control characters" in words
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_name_in_another_script_is_taken(tmp_path: Path) -> None:
    result = runner.invoke(app, ["project", "new", str(tmp_path / "東京の夜"), "--title", "Tokyo"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "東京の夜" / "project.yaml").is_file()
