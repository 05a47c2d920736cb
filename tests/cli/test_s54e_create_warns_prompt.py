"""`reelgen manifest create` warns when the defaults' prompt names a placeholder no item sets yet."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def test_a_defaults_prompt_with_an_unset_placeholder_is_warned_of_and_the_manifest_written(
    tmp_path: Path,
) -> None:
    shots = tmp_path / "shots"
    shots.mkdir()
    Image.new("RGB", (64, 64), (200, 40, 40)).save(shots / "a.png")
    defaults = tmp_path / "defaults.yaml"
    defaults.write_text("model: ken-burns\nprompt: '{subjct} at dawn'\nvariables: {subject: a fox}\n")
    result = runner.invoke(app, ["manifest", "create", str(shots), "-d", str(defaults)])
    said = " ".join(result.output.split())
    assert result.exit_code == 0, said  # written: the person may add the variable to the items
    assert (
        "warning: items[0].prompt (item a, from defaults.prompt): the prompt uses {subjct}, which is not set; "
        "known: index, model, motion, output, stem, subject"
    ) in said
    assert "`reelgen batch` refuses the manifest until its prompts fill" in said
    assert json.loads((shots / "manifest.json").read_text())["defaults"]["prompt"] == "{subjct} at dawn"
