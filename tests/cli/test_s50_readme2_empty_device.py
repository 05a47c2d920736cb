"""An empty --device is said to be empty, as other empty values are, not "'' is not a device name"."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def said(output: str) -> str:
    return " ".join(output.split())


@pytest.mark.parametrize("command", [["generate", "a cat", "-m", "reelgen-micro"], ["replay", "x.mp4"]])
def test_generate_and_replay_say_it_is_empty(command: list[str], tmp_path: Path) -> None:
    result = runner.invoke(app, [*command, "-o", str(tmp_path / "c.mp4"), "--device", ""])
    assert result.exit_code == 2
    assert "Invalid value for '--device': it is empty; give cpu, cuda or cuda:N, or leave it out" in said(
        result.output
    )
    assert list(tmp_path.iterdir()) == []


def test_a_blank_device_elsewhere_is_said_empty_too(tmp_path: Path) -> None:
    result = runner.invoke(app, ["enhance", str(tmp_path / "x.mp4"), "--device", " "])
    assert result.exit_code == 2
    assert "the device is empty; give cpu, cuda or cuda:N (this machine: cpu" in said(result.output)
    assert "or leave it out" in said(result.output)
    assert "not a device name" not in result.output
