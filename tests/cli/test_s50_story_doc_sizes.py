"""docs/storyboards.md: the export's size and rate re-render nothing; the size and rate under defaults do."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()
DOC = Path(__file__).resolve().parents[2] / "docs" / "storyboards.md"


def _statuses(film: Path) -> list[str]:
    result = runner.invoke(app, ["project", "status", str(film), "--json"])
    assert result.exit_code == 0, result.output
    return [json.loads(row)["status"] for row in result.stdout.splitlines()]


def _write(film: Path, data: dict[str, Any]) -> None:
    (film / "project.yaml").write_text(yaml.safe_dump(data, sort_keys=False))


def test_the_export_size_and_rate_leave_clips_current_the_defaults_do_not(tmp_path: Path) -> None:
    said = " ".join(DOC.read_text().split())
    assert (
        "or the export's codec, size or frame rate re-renders none (the `width`, `height` and `fps`" in said
    )
    assert "under `defaults` are what scenes are rendered at: changing those renders them again)" in said

    film = tmp_path / "film"
    film.mkdir()
    data: dict[str, Any] = {
        "title": "Sizes",
        "defaults": {"width": 64, "height": 64, "fps": 8},
        "scenes": [{"id": "dawn", "prompt": "a red circle", "duration": 1.0}],
    }
    _write(film, data)
    (film / "clips").mkdir()
    (key,) = [
        json.loads(r)["key"]
        for r in runner.invoke(app, ["project", "status", str(film), "--json"]).stdout.splitlines()
    ]
    (film / "clips" / f"{key}.mp4").write_bytes(b"clip")  # what `status` calls rendered
    assert _statuses(film) == ["rendered"]

    _write(film, {**data, "export": {"width": 128, "height": 128, "fps": 24, "codec": "h265"}})
    assert _statuses(film) == ["rendered"]

    _write(film, {**data, "defaults": {"width": 64, "height": 64, "fps": 12}})
    assert _statuses(film) == ["missing"]  # not rendered at this rate (stale, once state.json names it)
