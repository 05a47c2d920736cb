"""`reelgen shootout -m A -m "$UNSET"` (or `-i a.png -i ""`): a blank repeat is refused, not dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


@pytest.mark.parametrize(
    ("option", "said_of_it"),
    [
        # Dropped, the run compared wan-tiny with nothing and wrote a one-model report, exit 0.
        (["-m", "wan-tiny", "-m", ""], "'--models' / '-m': it is empty (an unset variable?); give models"),
        (["-m", "wan-tiny", "-m", " "], "'--models' / '-m': it is empty (an unset variable?); give models"),
        (
            ["-m", "wan-i2v-tiny", "-i", "start.png", "-i", ""],
            "'--images' / '-i': it is empty (an unset variable?); give start images",
        ),
    ],
    ids=["models", "models-space", "images"],
)
def test_a_blank_repeat_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, option: list[str], said_of_it: str
) -> None:
    monkeypatch.chdir(tmp_path)
    Image.new("RGB", (64, 64), (200, 40, 40)).save(tmp_path / "start.png")
    prompts = tmp_path / "prompts.yaml"
    prompts.write_text("- a fox\n")
    result = runner.invoke(app, ["shootout", "-p", str(prompts), "-o", str(tmp_path / "r"), *option])
    said = " ".join(result.output.replace("│", " ").split())
    assert result.exit_code == 2, said
    assert said_of_it in said, said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prompts.yaml", "start.png"]
