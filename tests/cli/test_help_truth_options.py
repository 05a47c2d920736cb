"""`--option KEY=VALUE` is repeatable for different keys; one key given twice is refused, not silently overwritten."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()
TINY = ["-m", "ltx-tiny", "--frames", "9", "--width", "32", "--height", "32", "--steps", "1", "-q"]


def test_one_key_given_twice_is_refused_before_any_work(tmp_path: Path) -> None:
    out = tmp_path / "clip.mp4"
    twice = ["--option", "decode_timestep=0.1", "--option", "decode_timestep=0.2"]
    result = runner.invoke(app, ["generate", "x", *TINY, *twice, "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "--option decode_timestep is given twice; give each KEY once" in " ".join(result.output.split())
    assert "Traceback" not in result.output and list(tmp_path.iterdir()) == []


def test_different_keys_each_reach_the_record(tmp_path: Path) -> None:
    out = tmp_path / "clip.mp4"
    both = ["--option", "decode_timestep=0.1", "--option", "guidance_rescale=0.5"]
    result = runner.invoke(app, ["generate", "x", *TINY, *both, "-o", str(out)])
    assert result.exit_code == 0, result.output
    options = json.loads(out.with_suffix(".json").read_text())["request"]["options"]
    assert (options["decode_timestep"], options["guidance_rescale"]) == (0.1, 0.5)
