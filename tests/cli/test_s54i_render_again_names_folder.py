"""A clip that export cannot use is mended by a command that names the project's folder:
"`reelgen project render --force --scene a`" rendered the folder the person stood in, not FOLDER."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.encode import write_video
from reelgen.core.project import ProjectFolder, plan_project
from reelgen.core.types import Video

runner = CliRunner()


def rendered_film(root: Path, record: dict[str, object]) -> tuple[Path, Path]:
    """A project folder (with a space in its name) whose one scene has a clip and the given record."""
    film = root / "my film"
    film.mkdir()
    (film / "project.yaml").write_text(
        "title: t\ndefaults: {model: reelgen-micro, width: 48, height: 32, fps: 8}\n"
        "scenes:\n  - {id: a, prompt: a red circle, duration: 1}\n"
    )
    folder = ProjectFolder.find(film)
    [scene] = plan_project(folder, folder.load())
    assert scene.render is not None
    clip = folder.clip(scene.render.key)
    write_video(Video(np.full((8, 32, 48, 3), 90, np.uint8), Fraction(8), None), clip)
    clip.with_suffix(".json").write_text(json.dumps({"output": record}))
    folder.mark_rendered("a", scene.render.key)
    return film, clip


def test_a_clip_record_of_another_length_names_the_folder_to_render(tmp_path: Path) -> None:
    film, _ = rendered_film(tmp_path, {"frames": 100, "fps": "8"})
    result = runner.invoke(app, ["project", "export", str(film), "-q"])
    assert result.exit_code == 2, result.output
    assert result.output.endswith(
        f"; render the scene again (`reelgen project render '{film}' --force --scene a`)\n"
    ), result.output
    assert not (film / "exports").exists() or not any((film / "exports").iterdir())


def test_a_clip_cut_short_names_the_folder_to_render(tmp_path: Path) -> None:
    film, clip = rendered_film(tmp_path, {"frames": 8, "fps": "8"})
    clip.write_bytes(clip.read_bytes()[:500])  # a disk that filled up as it was written
    result = runner.invoke(app, ["project", "export", str(film), "-q"])
    assert result.exit_code == 2, result.output
    assert "is not a readable video" in result.output
    assert result.output.endswith(
        f"; render the scene again (`reelgen project render '{film}' --force --scene a`)\n"
    ), result.output
