"""A library's warning during a pull (huggingface_hub's "Not enough free disk space ...") is one reelgen line.

Python printed each with the library's file and line and a "warnings.warn(" line under it.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core import weights
from reelgen.core.spec.family import Preset

runner = CliRunner()
LOW = (
    "Not enough free disk space to download the file. The expected file size is: 9.43 MB. The target "
    "location /cache/blobs only has 2.49 MB free disk space."
)


def test_a_disk_space_warning_is_said_as_a_warning_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def pull(preset: Preset) -> Path:
        warnings.warn(LOW, UserWarning, stacklevel=1)
        return tmp_path / "snapshot"

    monkeypatch.setattr(weights, "pull", pull)
    result = runner.invoke(app, ["pull", "ltx-2b"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.stderr.split())
    assert f"warning: {LOW}" in said
    assert "warnings.warn(" not in said and "UserWarning" not in said
