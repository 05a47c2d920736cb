"""`reelgen project render -q` prints what its --help promises: no progress, but warnings and results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.project.render import ProjectRender, SceneRender

runner = CliRunner()


def _film(tmp_path: Path) -> Path:
    (tmp_path / "project.yaml").write_text(
        "title: q\ndefaults: {model: reelgen-micro}\nscenes:\n  - {id: a, prompt: a red circle, duration: 1}\n"
    )
    return tmp_path


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The render as the core reports it (a scene, its window, the memory plan, a LoRA warning), with no
    model run: what the command prints of those reports is what is tested."""
    clip = tmp_path / "clips" / "k.mp4"

    def render_project(folder: Any, *, progress: Progress, **_: Any) -> ProjectRender:
        for message in (
            "scene 'a' (scenes[0]): rendering",
            "scene 'a' (scenes[0]): window 1/1",
            "memory plan: cpu on cpu (float32; needs ~0.3 GiB)",
            "warning: LoRA x.safetensors: 3 of its layers are not layers of reelgen-micro",
        ):
            progress.emit(ProgressEvent("window", 0, 1, 0.0, message=message))
        progress.emit(ProgressEvent("denoise", 1, 2, 0.0))
        return ProjectRender(rendered=[SceneRender("a", clip, [0], [])])

    monkeypatch.setattr("reelgen.core.project.render_project", render_project)
    return clip


def test_quiet_prints_warnings_and_the_clip_only(said: Path, tmp_path: Path) -> None:
    # It printed "scene 'a' (scenes[0]): rendering", its window and the memory plan too.
    result = runner.invoke(app, ["project", "render", str(_film(tmp_path)), "-q"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "warning: LoRA x.safetensors: 3 of its layers are not layers of reelgen-micro",
        f"rendered a: {said}",
    ]


def test_without_quiet_the_steps_are_still_said(said: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["project", "render", str(_film(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "scene 'a' (scenes[0]): rendering" in result.output
    assert "memory plan: cpu on cpu" in result.output


def test_the_help_says_what_quiet_leaves_out() -> None:
    result = runner.invoke(app, ["project", "render", "--help"], env={"COLUMNS": "200"})
    assert "No progress bar or step lines; warnings still print." in " ".join(result.output.split())
