"""A project file's export.fps too slow for a scene: the refusal ends with the line of that fps, as other file mistakes do."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def test_a_files_fps_too_slow_for_a_card_names_its_line(tmp_path: Path) -> None:
    (tmp_path / "project.yaml").write_text(
        "title: T\n"
        "defaults: {model: wan-tiny, width: 48, height: 32, fps: 8}\n"
        "scenes:\n"
        "  - id: opening\n"
        "    title_card: {text: Hello}\n"
        "    duration: 1\n"
        "export:\n"
        "  fps: 0.5\n"
    )
    result = runner.invoke(app, ["project", "export", str(tmp_path), "-q"])
    # It ended "... (export.fps); give a rate of at least 1 fps or lengthen it", no line.
    assert result.exit_code == 2, result.output
    assert result.output == (
        "error: scene 'opening' (scenes[0]): its title card lasts 1s, shorter than one frame at the film's "
        "0.5 fps (export.fps); give a rate of at least 1 fps or lengthen it (project.yaml line 8)\n"
    )
    assert not (tmp_path / "exports").exists()


def test_the_same_rate_typed_as_an_option_names_no_line(tmp_path: Path) -> None:
    (tmp_path / "project.yaml").write_text(
        "title: T\nscenes:\n  - id: opening\n    title_card: {text: Hello}\n    duration: 1\n"
    )
    result = runner.invoke(app, ["project", "export", str(tmp_path), "-q", "--fps", "0.5"])
    assert result.exit_code == 2, result.output
    assert result.output.rstrip().endswith("(--fps); give a rate of at least 1 fps or lengthen it")
