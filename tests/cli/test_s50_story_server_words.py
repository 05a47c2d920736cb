"""`reelgen project export --server` of one scene rendered only here speaks of that scene as one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from tests.jobs.projects import live_api, make_film

runner = CliRunner()


def test_one_scene_rendered_only_here_is_it_not_them(
    reelgen_home: Path, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    film = make_film(tmp_path / "film")
    rows = runner.invoke(app, ["project", "status", str(film), "--json"]).stdout.splitlines()
    boats = next(json.loads(row) for row in rows if json.loads(row)["scene_id"] == "boats")
    # A clip under the scene's key is all `status` looks at to call it rendered here.
    (film / "clips").mkdir(exist_ok=True)
    (film / "clips" / f"{boats['key']}.mp4").write_bytes(b"a clip rendered here")

    with live_api(tmp_path_factory.mktemp("server") / "server", reelgen_home) as server:
        result = runner.invoke(app, ["project", "export", str(film), "--server", server, "-q"])

    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert "never rendered: boats, pan" in said
    assert (
        "boats rendered here, but the server has no clip of it (clips are not uploaded): render it there "
        f"(`reelgen project render {film} --server {server}`), or export here without --server"
    ) in said
