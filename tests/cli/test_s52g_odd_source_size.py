"""An odd-sized source: the enhance record gives the source's own size as the input and the even size written as the output."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app
from tests.core.enhance_media import flat_png_clip

runner = CliRunner()


def test_the_record_gives_an_odd_sources_own_size_and_the_even_size_written(tmp_path: Path) -> None:
    # The input said 66x48 for a 65x47 clip: the padding the encoder adds to the output was said of
    # the source too, so the record misdescribed the file it names by path and SHA-256.
    source, out = flat_png_clip(tmp_path / "odd.mov", (60, 100, 140), 65, 47), tmp_path / "out.mp4"
    args = ["enhance", str(source), "-o", str(out), "--interpolate", "2", "--interpolator", "flow", "-q"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    record = json.loads(out.with_suffix(".json").read_text())
    assert (record["input"]["width"], record["input"]["height"]) == (65, 47)
    assert (record["output"]["width"], record["output"]["height"]) == (66, 48)
