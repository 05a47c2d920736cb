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


#: A storyboard whose fourth line has a second colon the YAML parser cannot place.
BROKEN_YAML = "title: Night Drive\nscenes:\n  - id: opening\n    prompt: a car: at night\n"
WHERE = (
    "line 4, column 18: mapping values are not allowed here; "
    "a value holding ': ' must be quoted: write prompt: \"a car: at night\""
)


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (["project", "render", "{bad}", "-q"], f"bad.yaml {WHERE}"),
        (["project", "status", "{bad}"], f"bad.yaml {WHERE}"),
        (["project", "export", "{bad}", "-q"], f"bad.yaml {WHERE}"),
        # Read here before anything is sent, so no server needs to answer.
        (["project", "status", "{bad}", "--server", "http://127.0.0.1:9"], f"bad.yaml {WHERE}"),
        (
            ["shootout", "-m", "ltx-tiny", "-p", "{bad}", "-o", "{tmp}/report"],
            f"prompts file {{bad}} {WHERE}",
        ),
        (["manifest", "create", "{tmp}", "--defaults", "{bad}"], f"defaults file {{bad}} {WHERE}"),
    ],
)
def test_a_yaml_syntax_error_is_one_line_naming_file_line_and_column(
    tmp_path: Path, command: list[str], message: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BROKEN_YAML)
    result = runner.invoke(app, [part.format(bad=bad, tmp=tmp_path) for part in command])
    assert result.exit_code == 2, result.output
    # The whole of what is printed: no parser's caret drawing, no "<unicode string>", no traceback.
    assert result.output == f"error: {message.format(bad=bad)}\n"
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_manifest_json_syntax_error_is_one_line_naming_file_line_and_column(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text('{"items": [\n  {"output": "one"}\n  {"output": "two"}\n]}\n')
    result = runner.invoke(app, ["batch", str(manifest), "-q"])
    assert result.exit_code == 2, result.output
    assert result.output == (
        f"error: manifest {manifest} line 3, column 3: Expecting ',' delimiter (not valid JSON)\n"
    )


def test_a_nul_character_in_a_hand_written_file_is_named_by_its_place_not_a_traceback(tmp_path: Path) -> None:
    """A YAML ``\\0`` (or JSON ``\\u0000``) in a file name: Python refuses such a path with ValueError."""
    film = tmp_path / "film"
    film.mkdir()
    (film / "project.yaml").write_text(
        'title: Night\nscenes:\n  - id: a\n    prompt: a car\n    duration: 1\n    start_image: "assets/x\\0.png"\n'
    )
    result = runner.invoke(app, ["project", "status", str(film)])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert "project.yaml: scenes[0].start_image holds a NUL character (\\0)" in said, said
    manifest = tmp_path / "manifest.json"
    manifest.write_text('{"items": [{"output": "one", "images": ["a\\u0000.png"], "prompt": "a fox"}]}')
    batch = runner.invoke(app, ["batch", str(manifest), "-q"])
    assert batch.exit_code == 2, batch.output
    assert "items[0].images[0] holds a NUL character" in " ".join(batch.output.split())


def test_a_raw_nul_character_in_a_yaml_file_is_named_by_line_and_column(tmp_path: Path) -> None:
    # PyYAML said only '"<unicode string>", position 59', which names no place a person can find.
    film = tmp_path / "film"
    film.mkdir()
    (film / "project.yaml").write_text("title: Night\nscenes:\n  - id: a\x00b\n    prompt: a car\n")
    result = runner.invoke(app, ["project", "status", str(film)])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert "project.yaml line 3, column 10: a NUL character (\\0), which no YAML text may hold" in said, said
