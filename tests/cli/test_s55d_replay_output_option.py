"""``reelgen replay VIDEO -o NAME`` with a name no container takes names the option typed, ``--output``, as
``reelgen generate`` and ``enhance`` say it (replay said "output: afile does not end in ...")."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app


def test_a_replay_output_with_no_container_names_the_output_option(tmp_path: Path) -> None:
    generate_made = tmp_path / "made.mp4"
    result = CliRunner().invoke(
        app, ["generate", "x", "-m", "ltx-tiny", "--steps", "1", "-o", str(generate_made), "-q"]
    )
    assert result.exit_code == 0, result.output
    again = tmp_path / "again"
    result = CliRunner().invoke(app, ["replay", str(generate_made), "-o", str(again), "-q"])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert said.startswith(f"error: --output: {again} does not end in .mp4"), said
    assert not again.exists()
