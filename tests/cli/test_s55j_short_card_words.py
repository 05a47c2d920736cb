"""`reelgen project export --fps` too slow for a scene: the refusal names the scene, what it is and how long it lasts."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def test_a_card_shorter_than_one_frame_says_which_card_and_how_long_it_lasts(tmp_path: Path) -> None:
    (tmp_path / "project.yaml").write_text(
        "title: T\n"
        "defaults: {model: wan-tiny, width: 48, height: 32, fps: 8}\n"
        "scenes:\n"
        "  - id: opening\n"
        "    title_card: {text: Hello}\n"
        "    duration: 1\n"
    )
    result = runner.invoke(app, ["project", "export", str(tmp_path), "--fps", "0.5"])
    # It said "it (1s) is shorter than one frame": "it" was no word the user had written.
    assert result.exit_code == 2, result.output
    assert result.output.startswith(
        "error: scene 'opening' (scenes[0]): its title card lasts 1s, shorter than one frame at the "
        "film's 0.5 fps (--fps); give a rate of at least 1 fps or lengthen it"
    ), result.output
    assert not [p for p in tmp_path.rglob("*") if p.suffix in (".mp4", ".part")]
