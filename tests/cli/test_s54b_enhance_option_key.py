"""`reelgen enhance --option STAGE.=VALUE` (no KEY after the dot) is refused by the option, not as an API field."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from tests.jobs.test_enhance_kind import clip

runner = CliRunner()


@pytest.mark.parametrize("typed", ["flow.=1", "flow. =1"])
def test_a_stage_with_no_key_is_refused_naming_the_option(tmp_path: Path, typed: str) -> None:
    # It read "error: enhance[0].options is not a known field; flow takes: ...", which named no option typed.
    source, out = tmp_path / "in.mp4", tmp_path / "out.mp4"
    clip(source, sound=False)
    args = ["enhance", str(source), "-o", str(out), "--interpolate", "2", "--interpolator", "flow"]
    result = runner.invoke(app, [*args, "--option", typed])
    said = " ".join(result.output.replace("│", " ").split())
    assert result.exit_code == 2, result.output
    assert "--option flow.: give a KEY after flow. (STAGE.KEY=VALUE, e.g. rife.scale=0.5)" in said, said
    assert "enhance[0]" not in said
    assert not out.exists()
