"""`reelgen project render --scene` says what it looked at: only the chosen scenes, not every one."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def test_a_chosen_scene_that_is_current_is_not_said_to_be_every_scene(tmp_path: Path) -> None:
    film = tmp_path / "film"
    assert runner.invoke(app, ["project", "new", str(film)]).exit_code == 0
    data = yaml.safe_load((film / "project.yaml").read_text())
    data["defaults"].update(model="wan-tiny", width=48, height=32, fps=4)
    (film / "project.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    first = runner.invoke(app, ["project", "render", str(film), "-q", "-s", "first-shot"])
    assert first.exit_code == 0, first.output

    again = runner.invoke(app, ["project", "render", str(film), "-q", "-s", "first-shot"])
    assert again.exit_code == 0, again.output
    said = " ".join(again.output.split())
    assert "nothing to render: every chosen scene's clip is current" in said  # second-shot is still missing
    status = runner.invoke(app, ["project", "status", str(film)])
    assert [line.split()[:3] for line in status.stdout.splitlines()][2] == ["second-shot", "not", "rendered"]
