"""`reelgen replay` given something that is not a regular file says what it is, not that it is missing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app


def test_a_device_is_named_as_one_not_as_missing() -> None:
    result = CliRunner().invoke(app, ["replay", "/dev/null"])
    assert result.exit_code == 2
    assert "/dev/null is a device or socket, not a regular file" in result.output
    assert "does not exist" not in result.output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_named_pipe_is_refused_before_it_is_read(tmp_path: Path) -> None:
    pipe = tmp_path / "clip.mp4"
    os.mkfifo(pipe)
    result = CliRunner().invoke(app, ["replay", str(pipe)])
    assert result.exit_code == 2
    assert "is a FIFO (named pipe), not a regular file" in result.output
