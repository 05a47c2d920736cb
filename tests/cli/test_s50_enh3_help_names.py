"""`reelgen enhance --help` names every kind of checkpoint file --upscaler takes, not only .pth."""

from __future__ import annotations

from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.enhance.upscale.models import CHECKPOINT_SUFFIXES


def test_help_lists_the_checkpoint_suffixes_taken() -> None:
    result = CliRunner().invoke(app, ["enhance", "--help"], env={"COLUMNS": "200"})
    said = " ".join(result.output.split())
    assert result.exit_code == 0
    for suffix in CHECKPOINT_SUFFIXES:
        assert suffix in said, suffix
