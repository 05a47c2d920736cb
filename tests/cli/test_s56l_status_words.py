"""`reelgen project status` words a scene as the web page does ("not rendered", "title card"), not the
API's "missing" (which read like an error for a project just made); --json keeps the API's values."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()

PROJECT = "title: Words\nscenes:\n  - {id: t, title_card: {text: Hi}, duration: 1.0}\n  - {id: a, prompt: a boat, duration: 2.0}\n"


def test_status_says_not_rendered_and_title_card(tmp_path: Path) -> None:
    (tmp_path / "project.yaml").write_text(PROJECT, encoding="utf-8")
    result = runner.invoke(app, ["project", "status", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "t  title card      1.0s  -",
        "a  not rendered    2.0s  reelgen-micro",
    ]
    assert "missing" not in result.stdout


def test_status_json_keeps_the_apis_values(tmp_path: Path) -> None:
    (tmp_path / "project.yaml").write_text(PROJECT, encoding="utf-8")
    result = runner.invoke(app, ["project", "status", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    assert [json.loads(row)["status"] for row in result.stdout.splitlines()] == ["card", "missing"]
