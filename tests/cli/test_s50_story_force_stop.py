"""`reelgen project render --force` stopped part-way says what a forced render keeps, not "render again to resume"."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.errors import Cancelled

runner = CliRunner()


def _stopped_at_the_scene(*args: Any, **kwargs: Any) -> Any:
    raise Cancelled("cancelled")  # as Ctrl-C stops a scene at its next denoising step


@pytest.mark.parametrize("force", [True, False], ids=["forced", "plain"])
def test_a_stopped_render_says_how_to_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, force: bool
) -> None:
    film = tmp_path / "film"
    film.mkdir()
    scene = {"id": "dawn", "prompt": "a red circle", "duration": 1.0}
    (film / "project.yaml").write_text(yaml.safe_dump({"title": "Stop", "scenes": [scene]}))
    (row,) = [
        json.loads(r)
        for r in runner.invoke(app, ["project", "status", str(film), "--json"]).stdout.split("\n")
        if r
    ]
    if force:  # the scene has a current clip, which --force renders again
        (film / "clips").mkdir()
        (film / "clips" / f"{row['key']}.mp4").write_bytes(b"the earlier clip")
    # A window finished before the stop, as a long scene leaves it.
    work = film / "windows" / row["key"]
    work.mkdir(parents=True)
    (work / "window-000.mp4").write_bytes(b"window")
    (work / "window-000.json").write_text("{}")
    monkeypatch.setattr("reelgen.core.project.render.render_scene", _stopped_at_the_scene)

    result = runner.invoke(app, ["project", "render", str(film), "-q", *(["--force"] if force else [])])

    said = " ".join(result.output.split())
    if not force:
        assert "stopped: scenes and windows already finished are kept; render again to resume" in said
        assert (work / "window-000.mp4").is_file()  # kept, so a plain render resumes there
        return
    assert (
        "stopped: scenes already finished are kept, and a scene stopped part-way keeps its earlier clip, "
        "if it had one; --force renders it again from its first window"
    ) in said
    assert "render again to resume" not in said
    assert (film / "clips" / f"{row['key']}.mp4").read_bytes() == b"the earlier clip"
    assert not (work / "window-000.mp4").exists()  # a forced render started the scene over
    # What it says holds: a plain render finds the earlier clip current and has nothing to resume.
    again = runner.invoke(app, ["project", "render", str(film), "-q"])
    assert again.exit_code == 0 and "nothing to render: every scene's clip is current" in again.output
