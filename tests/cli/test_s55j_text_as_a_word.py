"""`texts:` given a bare line of words: the refusal shows how to write the item, as a lone soundtrack file's does."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def test_a_text_written_as_words_alone_is_shown_as_a_mapping(tmp_path: Path) -> None:
    (tmp_path / "project.yaml").write_text(
        "title: T\n"
        "scenes:\n"
        "  - id: opening\n"
        "    title_card: {text: Hello}\n"
        "    duration: 1\n"
        "export:\n"
        "  texts:\n"
        "    - Night falls\n"
    )
    result = runner.invoke(app, ["project", "export", str(tmp_path), "-q"])
    # It said "should be a mapping of fields (key: value), not 'Night falls'" and no more.
    assert result.exit_code == 2, result.output
    assert result.output == (
        "error: export.texts[0]: should be a mapping of fields (key: value), not 'Night falls'; write it as "
        "{text: Night falls, end: N} (N: the second of the film at which it disappears) (project.yaml line 8)\n"
    )
