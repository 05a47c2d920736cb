"""`reelgen replay --input PARAM=FILE` names each input once; a PARAM given twice is refused, not the last taken."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def test_one_input_named_twice_is_refused_before_any_work(tmp_path: Path) -> None:
    start = tmp_path / "start.png"
    Image.new("RGB", (64, 64), (200, 30, 30)).save(start)
    made = tmp_path / "made.mp4"
    tiny = ["-m", "ltx-tiny", "--frames", "9", "--width", "64", "--height", "64", "--steps", "1", "-q"]
    first = runner.invoke(app, ["generate", "x", *tiny, "--image", str(start), "-o", str(made)])
    assert first.exit_code == 0, first.output
    other = tmp_path / "other.png"
    Image.new("RGB", (64, 64), (30, 30, 200)).save(other)

    again = tmp_path / "again.mp4"
    twice = ["--input", f"start_image={start}", "--input", f"start_image={other}"]
    result = runner.invoke(app, ["replay", str(made), "-q", "-o", str(again), *twice])
    assert result.exit_code == 2, result.output
    assert "start_image is given twice; give each PARAM once" in " ".join(result.output.split())
    assert not again.exists() and not again.with_suffix(".json").exists()
