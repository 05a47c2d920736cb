"""``reelgen enhance --option flow.factor=2`` is refused naming the flag to give, with the value typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app


@pytest.mark.parametrize(
    ("args", "give"),
    [
        # It said "--interpolate (or --target-fps) sets it; give it there", and flow.factor was
        # listed as an option flow takes.
        (
            ["--interpolate", "2", "--interpolator", "flow", "--option", "flow.factor=3"],
            "give --interpolate 3",
        ),
        (
            ["--target-fps", "24", "--interpolator", "flow", "--option", "flow.target_fps=30"],
            "give --target-fps 30",
        ),
        (["--upscale", "2", "--upscaler", "lanczos", "--option", "lanczos.scale=4"], "give --upscale 4"),
        (
            ["--upscale", "2", "--upscaler", "esrgan", "--option", "esrgan.model=realesrgan-x4plus"],
            "give --upscaler realesrgan-x4plus",
        ),
    ],
)
def test_the_refusal_names_the_flag_with_the_value(tmp_path: Path, args: list[str], give: str) -> None:
    source, out = tmp_path / "in.mp4", tmp_path / "out.mp4"
    source.write_bytes(b"not read: the options are refused first")
    result = CliRunner().invoke(app, ["enhance", str(source), "-o", str(out), *args])
    assert result.exit_code == 2, result.output
    assert give in " ".join(result.output.split()), result.output
    assert not out.exists()
