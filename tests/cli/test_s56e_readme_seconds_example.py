"""README's example of a length in seconds that is refused: the options it names give the error it quotes."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app

README = Path(__file__).resolve().parents[2] / "README.md"
runner = CliRunner()


def test_the_seconds_example_and_its_quoted_refusal_agree(tmp_path: Path) -> None:
    # README said "`--seconds 0.2 --fps 0.5` would be 2 s" beside a refusal quoted for --seconds 2:
    # typed as written, the command said "0.2 s at 0.5 fps would be 10 s", matching neither.
    text = " ".join(README.read_text(encoding="utf-8").split())
    example = re.search(
        r"lands further off \(`--seconds ([\d.]+) --fps ([\d.]+)` would be ([\d.]+) s\)", text
    )
    quoted = re.search(r"`(--seconds: [^`]*)`", text)
    assert example is not None and quoted is not None
    seconds, fps, lasts = example.groups()
    out = tmp_path / "x.mp4"
    asked = ["generate", "x", "-m", "reelgen-micro", "--seconds", seconds, "--fps", fps, "-o", str(out), "-q"]
    result = runner.invoke(app, asked)
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert f"--seconds: {seconds} s at {fps} fps would be {lasts} s" in said
    for part in quoted.group(1).split(" ... "):
        assert part.removesuffix(";") in said
    assert not out.exists()
