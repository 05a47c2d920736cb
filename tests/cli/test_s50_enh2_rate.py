"""``reelgen enhance --target-fps`` of 0 or below says a rate must be above 0, and what it takes."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from tests.cli.test_enhance_cli import _clip, _said

runner = CliRunner()


@pytest.mark.parametrize("rate", ["0", "-5", "0/1"])
def test_a_target_rate_of_zero_or_below_says_it_must_be_above_zero(tmp_path: Path, rate: str) -> None:
    source = _clip(tmp_path / "clip.mp4", frames=3, sound=False)
    result = runner.invoke(app, ["enhance", str(source), "--target-fps", rate, "-q"])
    assert result.exit_code == 2, result.output
    # It was "'0' is not a rate", though 0 reads as one.
    said = _said(result)
    assert f"--target-fps {rate}: a frame rate must be above 0; give e.g. 60, 59.94 or 60000/1001" in said
    assert not list(tmp_path.glob("clip-enhanced*"))
