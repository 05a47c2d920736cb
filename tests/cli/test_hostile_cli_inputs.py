"""Input paths that are there but are no file to read (a FIFO, a device, a link loop): said as what they are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def said(output: str) -> str:
    return " ".join(output.split())


def generate(tmp_path: Path, *args: str) -> tuple[int, str]:
    out = tmp_path / "out.mp4"
    result = runner.invoke(
        app, ["generate", "x", "-m", "ltx-tiny", "--frames", "9", *args, "-o", str(out), "-q"]
    )
    assert not out.exists()
    assert "Traceback" not in result.output
    return result.exit_code, said(result.output)


@pytest.mark.parametrize("option", ["--image", "--keyframe"])
def test_a_fifo_or_a_device_is_not_said_to_be_missing(tmp_path: Path, option: str) -> None:
    # Both were "file ... does not exist", which sent a person looking for a typo in a path that is there.
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    for path in (str(fifo), "/dev/null"):
        value = f"0:{path}" if option == "--keyframe" else path
        code, output = generate(tmp_path, option, value)
        assert code == 2, output
        assert f"{option}: {path} is not a regular file (a pipe, socket or device); give a file" in output


def test_a_lora_that_is_a_device_names_what_to_give(tmp_path: Path) -> None:
    code, output = generate(tmp_path, "--lora", "/dev/null")
    assert code == 2, output
    assert (
        "--lora: LoRA /dev/null is not a regular file (a pipe, socket or device); give a .safetensors file"
        in output
    )


def test_a_link_to_nothing_and_a_link_loop_are_told_apart(tmp_path: Path) -> None:
    dangling = tmp_path / "start.png"
    os.symlink("gone.png", dangling)
    code, output = generate(tmp_path, "--image", str(dangling))
    assert code == 2, output
    assert f"--image: {dangling} is a symbolic link to gone.png, which does not exist; give a file" in output
    loop, other = tmp_path / "a.png", tmp_path / "b.png"
    os.symlink("b.png", loop)
    os.symlink("a.png", other)
    code, output = generate(tmp_path, "--image", str(loop))
    assert code == 2, output
    assert f"--image: {loop} is a symbolic link that leads back to itself; give a file" in output


def test_a_missing_file_is_still_said_missing(tmp_path: Path) -> None:
    code, output = generate(tmp_path, "--image", str(tmp_path / "nope.png"))
    assert code == 2, output
    assert f"--image: file {tmp_path / 'nope.png'} does not exist" in output
