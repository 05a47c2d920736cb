"""`reelgen batch` and `reelgen shootout` given a name the file system cannot hold: one line, exit 2.

Asking the disk about such a name (``Path.is_dir``) raised "File name too long", which the CLI
said as an internal error.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()
LONG = "a" * 300
# Each name short enough, the whole path over the 4,095 bytes Linux takes.
DEEP = "/".join(["b" * 200] * 22) + "/a.png"


def said(output: str) -> str:
    return " ".join(output.split())


def _manifest(folder: Path, images: list[str]) -> Path:
    item = {"prompt": "a fox", "images": images, "output": "x"}
    path = folder / "m.json"
    path.write_text(json.dumps({"version": 1, "defaults": {"model": "reelgen-micro"}, "items": [item]}))
    return path


def test_a_manifest_file_name_too_long_is_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["batch", str(tmp_path / f"{LONG}.json"), "-q"])
    assert result.exit_code == 2, result.output
    words = said(result.output)
    assert words.startswith("error: manifest: the name aaaaaaaaaaaaaaaaaaaaaaaa... is 305 bytes long")
    assert "a folder or file name may have at most 255; give a shorter one" in words
    assert "internal error" not in words


def test_a_keyframe_name_too_long_names_its_item(tmp_path: Path) -> None:
    result = runner.invoke(app, ["batch", str(_manifest(tmp_path, [f"{LONG}.png"])), "-q"])
    assert result.exit_code == 2, result.output
    words = said(result.output)
    assert "items[0].images[0]: the name aaaaaaaaaaaaaaaaaaaaaaaa... is 304 bytes long" in words
    assert "internal error" not in words and not (tmp_path / "outputs").exists()


def test_a_keyframe_path_too_long_as_a_whole_names_its_item(tmp_path: Path) -> None:
    result = runner.invoke(app, ["batch", str(_manifest(tmp_path, [DEEP])), "-q"])
    assert result.exit_code == 2, result.output
    words = said(result.output)
    assert "items[0].images[0]: the path " in words and "and a path may have at most 4,095" in words
    assert "internal error" not in words


@pytest.mark.parametrize("image", [f"{LONG}.png", DEEP])
def test_a_prompts_file_image_too_long_names_its_field(tmp_path: Path, image: str) -> None:
    prompts = tmp_path / "p.yaml"
    prompts.write_text(f"prompts:\n  - prompt: a fox\n    image: {image}\n")
    out = tmp_path / "out"
    result = runner.invoke(app, ["shootout", "-m", "wan-i2v-tiny", "-p", str(prompts), "-o", str(out), "-q"])
    assert result.exit_code == 2, result.output
    words = said(result.output)
    assert "prompts[0].image: the " in words and "give a shorter one" in words
    assert "internal error" not in words and not out.exists()


@pytest.mark.parametrize("image", [f"{LONG}.png", DEEP])
def test_an_image_option_too_long_names_the_option(tmp_path: Path, image: str) -> None:
    prompts = tmp_path / "p.yaml"
    prompts.write_text("prompts:\n  - prompt: a fox\n")
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["shootout", "-m", "wan-i2v-tiny", "-p", str(prompts), "-i", image, "-o", str(out), "-q"]
    )
    assert result.exit_code == 2, result.output
    words = said(result.output)
    assert "--images: the " in words and "give a shorter one" in words
    assert "internal error" not in words and not out.exists()
