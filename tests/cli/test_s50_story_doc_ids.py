"""docs/storyboards.md on renaming a scene: under per_scene seeds it renders again, with its own seed it does not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()
DOC = Path(__file__).resolve().parents[2] / "docs" / "storyboards.md"


def _rows(film: Path) -> list[dict[str, Any]]:
    result = runner.invoke(app, ["project", "status", str(film), "--json"])
    assert result.exit_code == 0, result.output
    return [json.loads(row) for row in result.stdout.splitlines()]


def _write(film: Path, scenes: list[dict[str, Any]]) -> None:
    film.mkdir(exist_ok=True)
    (film / "project.yaml").write_text(yaml.safe_dump({"title": "Ids", "scenes": scenes}, sort_keys=False))


def test_a_renamed_scene_renders_again_unless_it_has_its_own_seed(tmp_path: Path) -> None:
    said = " ".join(DOC.read_text().split())
    assert "so a renamed scene is rendered again (`status` shows it `not rendered`" in said
    assert "one with its own `seed` keeps its clip" in said

    film = tmp_path / "film"
    drawn = {"prompt": "a red circle", "duration": 1.0}
    _write(film, [{"id": "dawn", **drawn}, {"id": "dusk", **drawn, "seed": 5}])
    (film / "clips").mkdir()
    for row in _rows(film):  # a clip under each scene's key is what `status` calls rendered
        (film / "clips" / f"{row['key']}.mp4").write_bytes(b"clip")
    assert [row["status"] for row in _rows(film)] == ["rendered", "rendered"]

    _write(film, [{"id": "sunrise", **drawn}, {"id": "sunset", **drawn, "seed": 5}])

    assert [(row["scene_id"], row["status"]) for row in _rows(film)] == [
        ("sunrise", "missing"),
        ("sunset", "rendered"),
    ]
