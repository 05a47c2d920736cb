"""`-q` of generate and batch prints no step lines (the memory plan, an item's line), but warnings and results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.progress import Progress, ProgressEvent

runner = CliRunner()

PLAN = "memory plan: cpu on cpu (float32; needs ~0.5 GiB)"
WARNING = "warning: LoRA x.safetensors: 3 of its layers are not layers of reelgen-micro"


def _say_steps(progress: Progress) -> None:
    progress.emit(ProgressEvent("plan", 0, 0, 0.0, message=PLAN))
    progress.emit(ProgressEvent("loras", 0, 0, 0.0, message=WARNING))
    progress.emit(ProgressEvent("denoise", 1, 2, 0.0))


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The render as the core reports it, with no model run: what the command prints of it is tested."""
    from reelgen.core.render import RenderResult

    made: list[str] = []

    def render(request: Any, output: Any, *, progress: Progress, **_: Any) -> RenderResult:
        _say_steps(progress)
        path = Path(output or "out.mp4")
        made.append(str(path))
        video = type("V", (), {"num_frames": 9, "width": 64, "height": 64, "fps": 24})()
        meta = {"memory_plan": {"strategy": "cpu"}, "request": {"seed": request.seed}}
        return RenderResult(path, path.with_suffix(".json"), meta, video)  # type: ignore[arg-type]

    monkeypatch.setattr("reelgen.core.render.render", render)
    return made


def test_generate_quiet_prints_the_warning_and_path(rendered: list[str], tmp_path: Path) -> None:
    out = tmp_path / "c.mp4"
    result = runner.invoke(
        app, ["generate", "a cat", "-m", "reelgen-micro", "--seed", "7", "-o", str(out), "-q"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [WARNING, str(out)]  # the plan line is a step line too


def test_generate_quiet_takes_say_no_step_lines(rendered: list[str], tmp_path: Path) -> None:
    out = tmp_path / "c.mp4"
    args = ["generate", "a cat", "-m", "reelgen-micro", "--seed", "7", "--count", "2", "-o", str(out), "-q"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert PLAN not in result.output
    assert "seed 7 ->" not in result.output  # "take 1/2: seed 7 -> ..." is a step line
    assert result.output.count(WARNING) == 2
    assert result.output.splitlines()[-2:] == rendered


def test_generate_without_quiet_still_says_its_steps(rendered: list[str], tmp_path: Path) -> None:
    result = runner.invoke(app, ["generate", "a cat", "-m", "reelgen-micro", "-o", str(tmp_path / "c.mp4")])
    assert result.exit_code == 0, result.output
    assert PLAN in result.output and WARNING in result.output


def test_batch_quiet_leaves_out_the_item_lines(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from reelgen.core.batch import BatchSummary

    def run_batch(spec: Any, *, progress: Progress, **_: Any) -> BatchSummary:
        _say_steps(progress)
        progress.emit(ProgressEvent("batch", 1, 1, 0.0, message="[1/1] a.mp4: done (a.mp4)"))
        return BatchSummary(
            total=1,
            done=1,
            reused=0,
            failed=[],
            skipped=[],
            time_s=1.0,
            render_hours=0.0,
            price_per_gpu_hour=0.0,
            currency="USD",
            estimated_cost=0.0,
            peak_vram_gib=None,
            devices=["cpu"],
            outputs=["a.mp4"],
        )

    monkeypatch.setattr("reelgen.core.batch.run_batch", run_batch)
    manifest = tmp_path / "m.json"
    manifest.write_text(
        '{"defaults": {"model": "reelgen-micro"}, "items": [{"prompt": "a cat", "output": "a.mp4"}]}'
    )
    result = runner.invoke(app, ["batch", str(manifest), "-q"])
    assert WARNING in result.output, result.output
    assert PLAN not in result.output and "[1/1] a.mp4" not in result.output


def test_the_help_says_what_quiet_leaves_out() -> None:
    result = runner.invoke(app, ["generate", "--help"], env={"COLUMNS": "200"})
    assert "No progress bar or step lines; warnings still print." in " ".join(result.output.split())
