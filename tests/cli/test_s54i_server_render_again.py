"""`reelgen project export FOLDER --server URL` refused for a server clip it cannot use names the render
there: the server's "render the scene again (`reelgen project render FOLDER --force --scene a`)" sent
the person to render here, where no clip of the server's is mended."""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.cli import app, project_remote
from reelgen.core.encode import write_video
from reelgen.core.project import ProjectFolder, plan_project
from reelgen.core.types import Video
from reelgen.jobs.settings import JobSettings

SERVER = "http://testserver"
runner = CliRunner()


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    settings = ApiSettings(jobs=JobSettings(data_dir=tmp_path / "server"), serve_web=False)
    with TestClient(create_app(settings, start_service=False)) as api:
        monkeypatch.setattr(project_remote.Remote, "http", property(lambda self: api))
        yield tmp_path / "server"


def test_a_bad_server_clip_names_the_render_there(tmp_path: Path, server: Path) -> None:
    film = tmp_path / "my film"
    film.mkdir()
    (film / "project.yaml").write_text(
        "title: t\ndefaults: {model: reelgen-micro, width: 48, height: 32, fps: 8}\n"
        "scenes:\n  - {id: a, prompt: a red circle, duration: 1}\n"
    )
    command = ["project", "export", str(film), "--server", SERVER, "-q"]
    first = runner.invoke(app, command, env={"REELGEN_API_KEY": None})  # uploads the project
    assert (
        first.exit_code == 2
        and "scene 'a' (scenes[0]) is not rendered as it now reads (never rendered)" in first.output
    ), first.output
    # The server's copy gets a clip whose record says another length than the clip holds.
    (there,) = (p for p in server.rglob("project.yaml") if p.parent != film)
    folder = ProjectFolder.find(there.parent)
    [scene] = plan_project(folder, folder.load())
    assert scene.render is not None
    clip = folder.clip(scene.render.key)
    write_video(Video(np.full((8, 32, 48, 3), 90, np.uint8), Fraction(8), None), clip)
    clip.with_suffix(".json").write_text(json.dumps({"output": {"frames": 100, "fps": "8"}}))
    folder.mark_rendered("a", scene.render.key)

    result = runner.invoke(app, command, env={"REELGEN_API_KEY": None})
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert "says 100 frames, and the clip holds 8" in said, said
    assert (
        f"render the scene again (`reelgen project render {shlex.quote(str(film))} --server {SERVER} "
        "--force --scene a`)"
    ) in said, said
