"""`reelgen project render` stopped part-way has already named each scene it finished, as it finished."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.errors import Cancelled
from reelgen.core.project.render import SceneRender

runner = CliRunner()


def test_a_stopped_render_names_the_scenes_it_finished(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    film = tmp_path / "film"
    film.mkdir()
    scenes = [
        {"id": "dawn", "prompt": "a red circle", "duration": 1.0},
        {"id": "dusk", "prompt": "a blue square", "duration": 1.0},
    ]
    (film / "project.yaml").write_text(yaml.safe_dump({"title": "Stop", "scenes": scenes}))
    calls: list[str] = []

    def first_done_then_stopped(plan: Any, work: Path, clip: Path, **kwargs: Any) -> SceneRender:
        calls.append(plan.scene_id)
        if len(calls) > 1:
            raise Cancelled("cancelled")  # Ctrl-C in the second scene
        clip.parent.mkdir(parents=True, exist_ok=True)
        clip.write_bytes(b"clip")
        return SceneRender(plan.scene_id, clip, [0], [])

    monkeypatch.setattr("reelgen.core.project.render.render_scene", first_done_then_stopped)

    result = runner.invoke(app, ["project", "render", str(film), "-q"])

    assert calls == ["dawn", "dusk"]
    assert result.exit_code == 130, result.output
    (clip,) = (film / "clips").glob("*.mp4")
    assert f"rendered dawn: {clip}" in result.stdout
    assert "dusk" not in result.stdout
    assert "stopped: scenes and windows already finished are kept" in " ".join(result.output.split())
