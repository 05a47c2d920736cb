"""``reelgen replay`` of a project's scene clip (its plan rendered again) and of its exported film (refused)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app
from tests.cli.replaying import frames, said

runner = CliRunner()


@pytest.fixture(scope="module")
def film(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project of a title card and a scene animating an asset, rendered and exported, then moved as a whole."""
    folder = tmp_path_factory.mktemp("first") / "film"
    assert runner.invoke(app, ["project", "new", str(folder), "--title", "Sea"]).exit_code == 0
    (folder / "assets").mkdir(exist_ok=True)
    rng = np.random.default_rng(4)
    Image.fromarray(rng.integers(0, 255, (32, 48, 3), dtype=np.uint8)).save(folder / "assets" / "start.png")
    data = yaml.safe_load((folder / "project.yaml").read_text())
    data["defaults"].update(model="wan-tiny", width=48, height=32, fps=4, steps=2)
    data["scenes"][1].update(
        model="wan-i2v-tiny", start_image="assets/start.png", transition={"type": "fade", "duration": 0.5}
    )
    del data["scenes"][2]  # the title card and one rendered scene make the film
    (folder / "project.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    for step in (["render", "--scene", "first-shot"], ["export"]):
        result = runner.invoke(app, ["project", step[0], str(folder), "-q", *step[1:]])
        assert result.exit_code == 0, result.output
    moved = tmp_path_factory.mktemp("moved") / "film"
    shutil.move(folder, moved)
    return moved


def scene_clip(film: Path) -> Path:
    [clip] = [p for p in (film / "clips").glob("*.mp4")]
    return clip


@pytest.mark.parametrize("given", [".mp4", ".json"])
def test_a_scene_clip_replays_to_the_same_frames_from_the_moved_project(
    film: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str
) -> None:
    # It was refused as 'a record with neither a request nor an enhancement'.
    clip = scene_clip(film)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["replay", str(clip.with_suffix(given)), "-o", "again.mp4"])
    assert result.exit_code == 0, result.output
    assert f"using {film / 'assets' / 'start.png'}, the same file" in said(result)
    assert "scene 'first-shot': 1 window(s) rendered again" in said(result)
    first, again = frames(clip), frames(tmp_path / "again.mp4")
    assert len(first) == len(again) and all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))


def test_a_scene_whose_asset_changed_is_refused_unless_told(film: Path, tmp_path: Path) -> None:
    copy = tmp_path / "film"
    shutil.copytree(film, copy)
    Image.fromarray(np.zeros((32, 48, 3), dtype=np.uint8)).save(copy / "assets" / "start.png")
    out = tmp_path / "never.mp4"
    result = runner.invoke(app, ["replay", str(scene_clip(copy)), "-o", str(out)])
    assert result.exit_code == 2
    # The recorded path is gone (the project moved) and the file beside the clip is another picture.
    assert "start_image: " in said(result) and "no longer exists; put it back at that path" in said(result)
    assert not out.exists()


def test_the_exported_film_says_to_export_it_again(film: Path) -> None:
    [exported] = list((film / "exports").glob("*.mp4"))
    result = runner.invoke(app, ["replay", str(exported)])
    assert result.exit_code == 2
    assert "is a film exported from a project" in said(result) and "reelgen project export" in said(result)
