"""A storyboard of a thousand scenes: planning stays fast and every message stays one short line."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app as cli_app


def _thousand(tmp_path: Path) -> Path:
    scenes = "".join(f"  - {{id: s{i}, prompt: shot {i}, duration: 1}}\n" for i in range(1000))
    (tmp_path / "project.yaml").write_text(f"title: long\nscenes:\n{scenes}")
    return tmp_path


def test_render_of_an_unknown_scene_names_ten_scenes_not_a_thousand(tmp_path: Path) -> None:
    folder = _thousand(tmp_path)
    out = CliRunner().invoke(cli_app, ["project", "render", str(folder), "--scene", "nope"])
    assert out.exit_code == 2, out.output
    assert out.output.startswith("error: no scene 'nope' in the project; scenes to render: s0, s1, s2, ")
    assert out.output.rstrip().endswith("and 990 more") and len(out.output) < 300
    assert not (folder / "clips").exists() and not (folder / "state.json").exists()


def test_export_before_rendering_a_thousand_scenes_says_so_briefly(tmp_path: Path) -> None:
    folder = _thousand(tmp_path)
    out = CliRunner().invoke(cli_app, ["project", "export", str(folder)])
    assert out.exit_code == 2, out.output
    assert (
        "never rendered: s0, s1, s2, s3, s4, s5, s6, s7, s8, s9 and 990 more); render them first"
        in out.output
    )
    assert len(out.output) < 400 and "Traceback" not in out.output
    assert not (folder / "exports").exists() or not any((folder / "exports").iterdir())
