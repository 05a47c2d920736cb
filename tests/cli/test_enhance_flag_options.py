"""`reelgen enhance --option` for what a flag of its own sets is refused, not taken over the flag."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # Methods named: the test machine may have no weights pulled, and auto then picks others.
        # Each was taken over its flag: a x4 clip for --upscale 2, a x3 one for --interpolate 2.
        (
            ["--upscale", "2", "--upscaler", "esrgan", "--option", "esrgan.scale=4"],
            "--option esrgan.scale: --upscale sets it",
        ),
        (["--upscale", "2", "--upscaler", "lanczos", "--option", "lanczos.scale=4"], "--upscale sets it"),
        (
            ["--interpolate", "2", "--interpolator", "rife", "--option", "rife.factor=3"],
            "--option rife.factor: --interpolate",
        ),
        (["--interpolate", "2", "--option", "flow.target_fps=60", "--interpolator", "flow"], "--target-fps"),
        (
            ["--upscale", "2", "--upscaler", "esrgan", "--option", "esrgan.model=realesrgan-x4plus"],
            "--upscaler sets it",
        ),
    ],
)
def test_an_option_a_flag_sets_is_refused_naming_the_flag(
    tmp_path: Path, args: list[str], message: str
) -> None:
    source, out = tmp_path / "in.mp4", tmp_path / "out.mp4"
    source.write_bytes(b"not read: the options are refused first")
    result = runner.invoke(app, ["enhance", str(source), "-o", str(out), *args])
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split())
    assert not out.exists()
