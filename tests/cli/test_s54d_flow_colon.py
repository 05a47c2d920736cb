"""``{type:fade}`` (no space after the ':') is one key to YAML, ``type:fade``; the error says to write
``type: fade`` rather than only "did you mean type?", which left the person looking at a correct name."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def test_a_flow_field_without_a_space_after_its_colon_is_told_how_to_write_it(tmp_path: Path) -> None:
    (tmp_path / "project.yaml").write_text(
        "title: T\nscenes:\n  - id: a\n    prompt: x\n    duration: 1\n    transition: {type:fade, duration: 0.5}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["project", "status", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert result.output.strip() == (
        "error: scene 'a' (scenes[0]): transition.type:fade is not a known field; write type: fade "
        "(YAML needs a space after the ':') (project.yaml line 6)"
    )


def test_a_misspelt_field_is_still_given_the_near_name(tmp_path: Path) -> None:
    (tmp_path / "project.yaml").write_text(
        "title: T\nscenes:\n  - id: a\n    prompt: x\n    duraton: 1\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["project", "status", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "duraton is not a known field; did you mean duration?" in result.output
