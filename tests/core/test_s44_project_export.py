"""Storyboard exports refuse what cannot be shown with advice a person can follow."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app as cli_app


def test_a_transition_no_rate_can_show_asks_for_a_longer_one_not_an_impossible_rate(tmp_path: Path) -> None:
    # 0.001 s asked for "a rate of at least 1e+03 fps", and the export takes 240 fps at most.
    (tmp_path / "project.yaml").write_text(
        "title: cards\nscenes:\n"
        "  - {id: one, title_card: {text: One}, duration: 1, transition: {type: dissolve, duration: 0.001}}\n"
        "  - {id: two, title_card: {text: Two}, duration: 1}\n"
    )
    out = CliRunner().invoke(cli_app, ["project", "export", str(tmp_path), "-q"])
    assert out.exit_code == 2, out.output
    said = out.output.strip()
    assert said.startswith(
        "error: scene 'one' (scenes[0]): its dissolve transition (0.001s) is shorter than one"
    )
    assert "e+0" not in said and "up to 240 fps" in said
    assert said.endswith("make its transition.duration at least 0.0417s, or the transition a cut")
    assert not (tmp_path / "exports").exists() or not any((tmp_path / "exports").iterdir())
