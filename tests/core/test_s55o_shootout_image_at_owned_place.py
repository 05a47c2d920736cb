"""A start image whose place in ``images`` is a prompt's that has its own image goes to no prompt: the
shoot-out ran without it and said nothing. It is now refused before anything renders, naming the image."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.errors import InvalidRequest
from reelgen.core.shootout import PromptsFile, plan_shootout


def _picture(path: Path) -> str:
    Image.new("RGB", (64, 64), (200, 120, 40)).save(path)
    return str(path)


def _prompts(tmp_path: Path) -> PromptsFile:
    _picture(tmp_path / "own.png")
    entries = [{"id": "fox", "prompt": "a fox", "image": "own.png"}, {"id": "cat", "prompt": "a cat"}]
    return PromptsFile.model_validate({"prompts": entries})


def test_an_image_at_the_place_of_a_prompt_with_its_own_is_refused(tmp_path: Path) -> None:
    unused, used = _picture(tmp_path / "a.png"), _picture(tmp_path / "b.png")
    with pytest.raises(InvalidRequest) as caught:
        plan_shootout(["wan-i2v-tiny"], _prompts(tmp_path), base_dir=tmp_path, images=[unused, used])
    assert caught.value.param == "images[0]"
    assert caught.value.message.startswith(f"the start image {unused} goes to no prompt"), (
        caught.value.message
    )
    assert "'fox'" in caught.value.message and "has its own image" in caught.value.message


def test_an_image_taken_by_a_later_prompt_in_turn_is_kept(tmp_path: Path) -> None:
    # One image for two prompts: the first has its own, the second takes it (its place, 1 % 1, is 0).
    only = _picture(tmp_path / "a.png")
    trials = plan_shootout(["wan-i2v-tiny"], _prompts(tmp_path), base_dir=tmp_path, images=[only])
    assert [t.image for t in trials] == [str((tmp_path / "own.png").resolve()), str(Path(only).resolve())]


def test_the_cli_refuses_it_before_any_report(tmp_path: Path) -> None:
    _picture(tmp_path / "own.png")
    prompts = tmp_path / "prompts.yaml"
    prompts.write_text(
        "prompts:\n  - {id: fox, prompt: a fox, image: own.png}\n  - {id: cat, prompt: a cat}\n"
    )
    unused, used = _picture(tmp_path / "a.png"), _picture(tmp_path / "b.png")
    report = tmp_path / "report"
    args = [
        "shootout",
        "-m",
        "wan-i2v-tiny",
        "-p",
        str(prompts),
        "--images",
        f"{unused},{used}",
        "-o",
        str(report),
    ]
    result = CliRunner().invoke(app, [*args, "-q"])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert said.startswith(f"error: the start image {unused} goes to no prompt"), said
    assert not report.exists()
