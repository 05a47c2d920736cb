"""A symbolic link that leads back to itself, given as an output, a source or weights: one line, exit 2."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def said(output: str) -> str:
    return " ".join(output.split())


def link_loop(folder: Path, name: str) -> Path:
    loop, other = folder / name, folder / f"other-{name}"
    os.symlink(other.name, loop)
    os.symlink(loop.name, other)
    return loop


@pytest.mark.parametrize("command", [["generate", "x", "-m", "ltx-tiny", "--frames", "9"], ["enhance", "IN"]])
def test_an_output_that_is_a_link_loop_is_refused_before_any_work(tmp_path: Path, command: list[str]) -> None:
    # generate ran the model and then said 'internal error (RuntimeError: Symlink loop from ...)', exit 1.
    loop = link_loop(tmp_path, "out.mp4")
    source = tmp_path / "in.mp4"
    source.write_bytes(b"never read")
    args = [str(source) if part == "IN" else part for part in command]
    result = runner.invoke(app, [*args, "-o", str(loop), "-q"])
    assert result.exit_code == 2, result.output
    assert f"{loop} is a symbolic link that leads back to itself" in said(result.output)
    assert "internal error" not in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.mp4", "other-out.mp4", "out.mp4"]


def test_an_enhance_source_that_is_a_link_loop_is_named(tmp_path: Path) -> None:
    loop = link_loop(tmp_path, "in.mp4")
    result = runner.invoke(app, ["enhance", str(loop), "--upscale", "2", "-o", str(tmp_path / "o.mp4")])
    assert result.exit_code == 2, result.output
    assert f"input: {loop} is a symbolic link that leads back to itself; give a video file" in said(
        result.output
    )
    assert not (tmp_path / "o.mp4").exists()


def test_weights_that_are_a_link_loop_are_named(tmp_path: Path) -> None:
    loop = link_loop(tmp_path, "model.safetensors")
    result = runner.invoke(
        app, ["generate", "x", "-m", "ltx-tiny", "--weights", str(loop), "-o", str(tmp_path / "o.mp4"), "-q"]
    )
    assert result.exit_code == 2, result.output
    assert f"--weights {loop} is a symbolic link that leads back to itself" in said(result.output)
    assert "internal error" not in result.output
