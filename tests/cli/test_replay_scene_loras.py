"""``reelgen replay`` of a project's scene clip made with a LoRA: the same LoRA file, or a refusal saying it changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from reelgen.cli import app
from tests.cli.replaying import said
from tests.core.test_loras import ltx_lora

runner = CliRunner()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project of one ltx-tiny scene with a LoRA kept in the project's folder, rendered."""
    folder = tmp_path_factory.mktemp("made") / "film"
    assert runner.invoke(app, ["project", "new", str(folder), "--title", "Sea"]).exit_code == 0
    (folder / "loras").mkdir()
    ltx_lora(folder / "loras", "style.safetensors")
    data = yaml.safe_load((folder / "project.yaml").read_text())
    data["defaults"].update(model="ltx-tiny", fps=8, steps=2)
    data["scenes"] = [data["scenes"][1]]
    data["scenes"][0].update(
        duration=1.0, transition={"type": "cut"}, loras=[{"path": "loras/style.safetensors", "strength": 0.8}]
    )
    (folder / "project.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    result = runner.invoke(app, ["project", "render", str(folder), "-q"])
    assert result.exit_code == 0, result.output
    return folder


def copied(project: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the project elsewhere (its LoRA found beside the clip) and its scene clip."""
    copy = tmp_path / "film"
    shutil.copytree(project, copy)
    [clip] = (copy / "clips").glob("*.mp4")
    return copy, clip


def test_a_scene_whose_lora_changed_since_is_refused_unless_told(project: Path, tmp_path: Path) -> None:
    """It was rendered again with whatever the file held now, as 'the same video', without a word."""
    _, clip = copied(project, tmp_path)
    recorded = project / "loras" / "style.safetensors"
    first = recorded.read_bytes()
    ltx_lora(project / "loras", "style.safetensors", seed=9)  # the same name, other weights
    out = tmp_path / "never.mp4"
    try:
        refused = runner.invoke(app, ["replay", str(clip), "-o", str(out)])
        allowed = runner.invoke(app, ["replay", str(clip), "-o", str(out), "--allow-changed-inputs"])
    finally:
        recorded.write_bytes(first)
    assert refused.exit_code == 2, refused.output
    assert f"loras[0]: {recorded} has changed since the video was made" in said(refused)
    assert "--allow-changed-inputs" in said(refused)
    assert allowed.exit_code == 0, allowed.output
    assert "warning: loras[0]:" in said(allowed) and out.is_file()


def test_a_scene_whose_lora_moved_with_the_project_uses_the_same_file_found_there(
    project: Path, tmp_path: Path
) -> None:
    copy, clip = copied(project, tmp_path)
    recorded = project / "loras" / "style.safetensors"
    kept = tmp_path / "kept.safetensors"
    shutil.move(recorded, kept)  # gone from the path the record names
    try:
        result = runner.invoke(app, ["replay", str(clip), "-o", str(tmp_path / "again.mp4")])
    finally:
        shutil.move(kept, recorded)
    assert result.exit_code == 0, result.output
    here = copy / "loras" / "style.safetensors"
    assert f"loras[0]: {recorded} no longer exists; using {here}, the same file" in said(result)


def test_a_scene_record_without_the_loras_hash_replays_and_says_it_could_not_be_checked(
    project: Path, tmp_path: Path
) -> None:
    copy, clip = copied(project, tmp_path)
    sidecar = clip.with_suffix(".json")
    record = json.loads(sidecar.read_text())
    for window in record["windows"]:
        for lora in window["record"]["loras"]:
            del lora["sha256"]
    sidecar.write_text(json.dumps(record))
    result = runner.invoke(app, ["replay", str(sidecar), "-o", str(tmp_path / "again.mp4")])
    assert result.exit_code == 0, result.output
    assert said(result).count("loras[0]:") == 1
    assert "cannot be checked: the record holds no SHA-256 of it; replayed as it is now" in said(result)


def test_a_scene_whose_lora_is_elsewhere_is_named_with_input(project: Path, tmp_path: Path) -> None:
    [clip] = (project / "clips").glob("*.mp4")
    recorded = project / "loras" / "style.safetensors"
    kept = tmp_path / "kept.safetensors"
    shutil.move(recorded, kept)
    try:
        args = ["replay", str(clip), "-o", str(tmp_path / "again.mp4"), "--input", f"loras[0]={kept}"]
        result = runner.invoke(app, args)
    finally:
        shutil.move(kept, recorded)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "again.mp4").is_file() and "warning" not in said(result)
