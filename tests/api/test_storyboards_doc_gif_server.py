"""docs/storyboards.md says what a server does with an export named ``.gif``, in the words it answers."""

from __future__ import annotations

import copy
import re
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from reelgen.cli import app
from tests.api.test_projects_api import upload
from tests.jobs.projects import FILM, make_film

DOC = Path(__file__).parents[2] / "docs" / "storyboards.md"


def _said() -> str:
    return " ".join(DOC.read_text().split())


def test_the_quoted_refusal_is_what_render_with_export_and_export_answer(
    client: TestClient, tmp_path: Path
) -> None:
    """The doc said only that export_settings.output must end in the container, not that the render with
    "export": true refuses it before any scene renders (it took it, rendered, then refused)."""
    quoted = re.search(r"`(export_settings\.output: my-film\.gif would be [^`]*)`", _said())
    assert quoted is not None
    film = make_film(tmp_path / "film")
    project_id = upload(client, film).json()["id"]
    settings = {"export_settings": {"output": "my-film.gif"}}
    for route, body in (("render", {"export": True, **settings}), ("export", settings)):
        sent = client.post(f"/v1/projects/{project_id}/{route}", json=body)
        assert (sent.status_code, sent.json()["error"]["message"]) == (400, quoted.group(1)), route
    # The uploaded file's own export.output is refused the same way, named as the file writes it.
    data = copy.deepcopy(FILM)
    data["export"] = {"output": "my-film.gif"}
    in_file = client.post(
        f"/v1/projects/{upload(client, film, data).json()['id']}/render", json={"export": True}
    )
    assert in_file.status_code == 400
    assert in_file.json()["error"]["message"] == quoted.group(1).replace(
        "export_settings.output", "export.output"
    )


def test_the_cli_refuses_a_gif_on_a_server_before_anything_is_sent(tmp_path: Path) -> None:
    """Nothing listens on port 9: a request sent would be 'cannot reach', not the refusal."""
    assert "is refused before anything is sent, and told to name it `my-film.mp4`" in _said()
    film = make_film(tmp_path / "film")
    runner = CliRunner()
    typed = runner.invoke(
        app, ["project", "export", str(film), "--server", "http://127.0.0.1:9", "-o", "my-film.gif"]
    )
    assert typed.exit_code == 2, typed.output
    assert "name it my-film.mp4, or export without --server to make the GIF" in " ".join(typed.output.split())
    project = film / "project.yaml"
    project.write_text(project.read_text() + "export:\n  output: my-film.gif\n")
    in_file = runner.invoke(app, ["project", "export", str(film), "--server", "http://127.0.0.1:9"])
    assert in_file.exit_code == 2, in_file.output
    assert "export.output: my-film.gif would be an animated GIF" in " ".join(in_file.output.split())
