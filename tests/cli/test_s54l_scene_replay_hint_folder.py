"""`reelgen replay` of a scene clip whose plan this reelgen cannot read names the render that mends it as
every other hint does: the project's folder when the clip sits in one, else FOLDER (it said PROJECT)."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()

# A scene record from a reelgen whose plan has a field this one does not know.
RECORD = {"scene": "boats", "key": "k1", "plan": {"scene_id": "boats", "from_the_future": 1}}


def _said(path: Path) -> str:
    result = runner.invoke(app, ["replay", str(path)])
    assert result.exit_code == 2, result.output
    return " ".join(result.output.split())


def test_a_scene_clip_in_its_project_names_that_folder_and_scene(tmp_path: Path) -> None:
    film = tmp_path / "my film"
    (film / "clips").mkdir(parents=True)
    (film / "project.yaml").write_text("title: t\nscenes:\n  - {id: boats, prompt: boats}\n")
    record = film / "clips" / "k1.json"
    record.write_text(json.dumps(RECORD))
    said = _said(record)
    assert f"(`reelgen project render {shlex.quote(str(film))} --force --scene boats`)" in said, said
    assert "PROJECT" not in said


def test_a_scene_clip_away_from_its_project_says_folder(tmp_path: Path) -> None:
    record = tmp_path / "k1.json"
    record.write_text(json.dumps(RECORD))
    said = _said(record)
    assert "(`reelgen project render FOLDER --force --scene boats`)" in said, said
    assert "PROJECT" not in said
