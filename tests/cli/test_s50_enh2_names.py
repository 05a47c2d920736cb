"""``reelgen enhance`` without -o never replaces an earlier output: it takes the next free name."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app
from tests.cli.test_enhance_cli import _clip

runner = CliRunner()


def test_a_second_run_without_o_takes_the_next_free_name(tmp_path: Path) -> None:
    source = _clip(tmp_path / "clip.mp4", frames=3, sound=False)
    first = tmp_path / "clip-enhanced.mp4"
    first.write_bytes(b"an earlier clip, kept")
    # A JSON of that name alone also takes the name: the new record would replace it.
    (tmp_path / "clip-enhanced-2.json").write_text("{}")
    args = ["enhance", str(source), "--upscale", "2", "--upscaler", "lanczos", "-q"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    made = tmp_path / "clip-enhanced-3.mp4"
    # It was written over clip-enhanced.mp4, silently.
    assert result.stdout.strip().splitlines()[-1] == str(made)
    assert first.read_bytes() == b"an earlier clip, kept"
    assert (tmp_path / "clip-enhanced-2.json").read_text() == "{}"
    assert made.stat().st_size > 0 and made.with_suffix(".json").exists()
