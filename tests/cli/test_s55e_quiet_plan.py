"""``-q`` prints what its help promises: warnings and the paths made, not the closing plan line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.progress import Progress, ProgressEvent

runner = CliRunner()
WARNING = "warning: LoRA x.safetensors: 3 of its layers are not layers of reelgen-micro"


@pytest.fixture(autouse=True)
def rendered(monkeypatch: pytest.MonkeyPatch) -> None:
    """The render as the core reports it, with no model run: what the command prints of it is tested."""
    from reelgen.core.render import RenderResult

    def render(request: Any, output: Any, *, progress: Progress, **_: Any) -> RenderResult:
        progress.emit(
            ProgressEvent("plan", 0, 0, 0.0, message="memory plan: cpu on cpu (float32; needs ~0.5 GiB)")
        )
        progress.emit(ProgressEvent("loras", 0, 0, 0.0, message=WARNING))
        path = Path(output or "out.mp4")
        video = type("V", (), {"num_frames": 9, "width": 64, "height": 64, "fps": 24})()
        meta = {"memory_plan": {"strategy": "cpu"}, "request": {"seed": request.seed}}
        return RenderResult(path, path.with_suffix(".json"), meta, video)  # type: ignore[arg-type]

    monkeypatch.setattr("reelgen.core.render.render", render)


def test_quiet_prints_the_warning_and_the_path_only(tmp_path: Path) -> None:
    # It printed "plan: cpu | seed 7 | 9 frames 64x64 @ 24 fps" too, though -q promised no step lines.
    out = tmp_path / "c.mp4"
    result = runner.invoke(
        app, ["generate", "a cat", "-m", "reelgen-micro", "--seed", "7", "-o", str(out), "-q"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [WARNING, str(out)]


def test_quiet_takes_print_their_paths_without_a_plan_line(tmp_path: Path) -> None:
    out = tmp_path / "c.mp4"
    args = ["generate", "a cat", "-m", "reelgen-micro", "--seed", "7", "--count", "2", "-o", str(out), "-q"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        WARNING,
        WARNING,
        str(tmp_path / "c-1.mp4"),
        str(tmp_path / "c-2.mp4"),
    ]


def test_without_quiet_the_plan_line_is_still_said(tmp_path: Path) -> None:
    out = tmp_path / "c.mp4"
    result = runner.invoke(app, ["generate", "a cat", "-m", "reelgen-micro", "--seed", "7", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "plan: cpu | seed 7 | 9 frames 64x64 @ 24 fps" in result.output
