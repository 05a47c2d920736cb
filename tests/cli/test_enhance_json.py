"""`reelgen enhance --json` gives a script JSON alone on stdout; a local-only option with --server is named alone."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.encode import write_video
from reelgen.core.types import Video

runner = CliRunner()


def test_json_alone_on_stdout_and_the_path_on_stderr(tmp_path: Path) -> None:
    frames = np.random.default_rng(0).integers(0, 255, (3, 32, 32, 3), dtype=np.uint8)
    source = write_video(Video(frames, Fraction(8)), tmp_path / "clip.mp4")
    out = tmp_path / "big.mp4"
    result = runner.invoke(
        app,
        ["enhance", str(source), "-o", str(out), "--upscale", "2", "--upscaler", "lanczos", "--json", "-q"],
    )
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)  # the path printed after it made this fail
    assert record["source"]["path"] == str(source.resolve()) and out.is_file()
    assert f"wrote {out}" in result.stderr


def test_device_with_a_server_is_named_without_an_option_not_given(tmp_path: Path) -> None:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"")
    result = runner.invoke(
        app,
        ["enhance", str(clip), "--interpolate", "2", "--server", "http://127.0.0.1:9", "--device", "cpu"],
    )
    assert result.exit_code == 2
    said = " ".join(result.output.replace("│", " ").split())
    assert "--device: for a run here only; the server chooses its own" in said
    assert "--option" not in said  # it was said as "--option and --device" when only --device was given


def test_json_with_an_output_named_in_brackets_says_where_it_wrote(tmp_path: Path) -> None:
    # "wrote a[/]b.mp4" was read as Rich markup: "internal error (MarkupError)", exit 1, the clip written.
    frames = np.random.default_rng(0).integers(0, 255, (3, 32, 32, 3), dtype=np.uint8)
    source = write_video(Video(frames, Fraction(8)), tmp_path / "clip.mp4")
    out = tmp_path / "take [b] [/].mp4"
    args = ["enhance", str(source), "-o", str(out), "--upscale", "2", "--upscaler", "lanczos", "--json", "-q"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["output"]["width"] == 64 and out.is_file()
    assert f"wrote {out}" in " ".join(result.stderr.split())
