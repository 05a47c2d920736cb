"""`reelgen enhance` takes upstream spellings of model and method names (RealESRGAN_x4plus, RIFE)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.record import load_record
from tests.cli.test_enhance_cli import _clip, _said

runner = CliRunner()


def test_an_upstream_model_name_is_known_by_reelgens_name(tmp_path: Path) -> None:
    source, out = _clip(tmp_path / "in.mp4"), tmp_path / "out.mp4"
    args = ["enhance", str(source), "-o", str(out), "--upscale", "2", "--upscaler", "RealESRGAN_x4plus"]
    result = runner.invoke(app, args)
    # Was "--upscaler 'RealESRGAN_x4plus' is not known"; now the model is known and x2 is what it lacks.
    assert result.exit_code == 2
    assert "realesrgan-x4plus upscales by x4, not x2" in _said(result)


def test_a_capitalised_method_runs_and_is_recorded_by_reelgens_name(tmp_path: Path) -> None:
    source, out = _clip(tmp_path / "in.mp4", sound=False), tmp_path / "out.mp4"
    args = ["enhance", str(source), "-o", str(out), "-q", "--upscale", "2", "--upscaler", "Lanczos"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert [step["name"] for step in load_record(out)["enhance"]] == ["lanczos"]


def test_a_near_miss_is_told_the_near_name(tmp_path: Path) -> None:
    source = _clip(tmp_path / "in.mp4")
    result = runner.invoke(app, ["enhance", str(source), "--interpolate", "2", "--interpolator", "RIFF"])
    assert result.exit_code == 2
    assert "did you mean rife?" in _said(result)


def test_generate_knows_the_upstream_model_name_too(tmp_path: Path) -> None:
    args = ["generate", "--model", "ltx-tiny", "a fox", "-o", str(tmp_path / "fox.mp4")]
    result = runner.invoke(app, [*args, "--upscale", "2", "--upscaler", "RealESRGAN_x4plus"])
    assert result.exit_code != 0  # x2 is what the model lacks, said by reelgen's name, before any work
    assert "realesrgan-x4plus upscales by x4, not x2" in _said(result)
    assert not (tmp_path / "fox.mp4").exists()
