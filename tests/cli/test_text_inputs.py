"""A picture given where a YAML file belongs: each command names the file and what is wrong, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (
            ["shootout", "-m", "ltx-tiny", "-p", "{png}", "-o", "{tmp}/report"],
            "prompts file {png} is not valid YAML",
        ),
        (["project", "status", "{png}"], "photo.png is not valid YAML"),
        (["manifest", "create", "{tmp}", "--defaults", "{png}"], "defaults file {png} is not valid YAML"),
    ],
)
def test_a_binary_file_given_as_yaml_is_refused_in_plain_words(
    tmp_path: Path, command: list[str], message: str
) -> None:
    png = tmp_path / "photo.png"
    Image.new("RGB", (8, 8), (200, 40, 40)).save(png)
    args = [part.format(png=png, tmp=tmp_path) for part in command]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert message.format(png=png) in " ".join(result.output.split())
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photo.png"]


@pytest.mark.parametrize("text", ["hello\n", ""])
def test_a_prompts_file_without_prompts_says_what_it_must_hold(tmp_path: Path, text: str) -> None:
    prompts = tmp_path / "prompts.yaml"
    prompts.write_text(text)
    result = runner.invoke(app, ["shootout", "-m", "ltx-tiny", "-p", str(prompts), "-o", str(tmp_path / "r")])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert f"prompts file {prompts} must hold prompts: a list, or a mapping with prompts:" in said
    assert "instance of PromptsFile" not in said
