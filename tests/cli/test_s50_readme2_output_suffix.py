"""A name that is no video file is refused naming -o/--output and the containers, the last after "or"."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()

SAID = (
    "error: --output: {name} does not end in .mp4, .mov, .mkv, .webm or .gif; give a name such as {stem}.mp4"
)


@pytest.mark.parametrize("more", [[], ["--count", "2"]])
def test_generate_names_the_option_and_the_containers(tmp_path: Path, more: list[str]) -> None:
    # It said "output x.avi must end in .mp4, .mov, .mkv, .webm, .gif": no option, no "or".
    out = tmp_path / "x.avi"
    result = runner.invoke(app, ["generate", "a cat", "-m", "reelgen-micro", "-o", str(out), *more])
    assert result.exit_code == 2
    assert result.output.splitlines() == [SAID.format(name=out, stem="x")]
    assert list(tmp_path.iterdir()) == []
