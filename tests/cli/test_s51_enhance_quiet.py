"""`reelgen enhance -q` prints the output's path and warnings, not each stage's summary line."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app
from tests.cli.test_enhance_cli import _clip

runner = CliRunner()


def test_quiet_leaves_out_the_stage_lines(tmp_path: Path) -> None:
    source, out = _clip(tmp_path / "in.mp4", frames=3, sound=False), tmp_path / "out.mp4"
    args = ["enhance", str(source), "-o", str(out), "--upscale", "2", "--upscaler", "lanczos"]
    loud = runner.invoke(app, args)
    assert loud.exit_code == 0, loud.output
    assert "lanczos: seconds" in loud.output
    quiet = runner.invoke(app, [*args[:3], str(tmp_path / "q.mp4"), *args[4:], "-q"])
    assert quiet.exit_code == 0, quiet.output
    # -q said "No progress bar or step lines", and still printed "lanczos: seconds 0.019".
    assert quiet.output.split() == [str(tmp_path / "q.mp4")], quiet.output
