"""An image-to-video model with no start image: the CLI names --images, the plan (API, page, report) its fields."""

from __future__ import annotations

import time
from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.shootout.plan import plan_shootout
from reelgen.core.shootout.spec import PromptsFile

runner = CliRunner()


def test_the_plan_names_the_fields_not_a_cli_flag() -> None:
    trials = plan_shootout(["wan-i2v-tiny"], PromptsFile.model_validate({"prompts": ["a fox"]}))
    message = trials[0].error["message"]  # type: ignore[index]
    assert "--images" not in message
    assert "needs a start image" in message and "(its image field in the prompts)" in message
    assert message.endswith("start images, one per prompt in turn (images)")


def test_the_cli_names_its_images_option(tmp_path: Path) -> None:
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("a lighthouse at night\n")
    out = tmp_path / "compare"
    begun = time.monotonic()
    result = runner.invoke(app, ["shootout", "-m", "wan-i2v-tiny", "-p", str(prompts), "-o", str(out), "-q"])
    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())
    assert "one per prompt in turn (--images)" in said and "(images)" not in said
    assert time.monotonic() - begun < 30


def test_a_model_that_finished_no_trial_has_no_score_on_the_console(tmp_path: Path) -> None:
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("a lighthouse at night\n")
    result = runner.invoke(
        app, ["shootout", "-m", "wan-i2v-tiny", "-p", str(prompts), "-o", str(tmp_path / "out"), "-q"]
    )
    said = " ".join(result.output.split())
    assert "wan-i2v-tiny: no score (0 of 1 finished)" in said and "mean score 0.0" not in said
