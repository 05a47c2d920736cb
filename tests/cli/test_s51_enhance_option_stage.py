"""`--option esrgan.KEY` where auto took Lanczos says why esrgan is not in the run."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from tests.cli.test_enhance_cli import _clip, _said

runner = CliRunner()


def test_an_option_for_the_method_auto_passed_over_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGEN_MODELS_DIR", str(tmp_path / "models"))  # nothing pulled
    source, out = _clip(tmp_path / "in.mp4", frames=3, sound=False), tmp_path / "out.mp4"
    args = ["enhance", str(source), "-o", str(out), "--upscale", "2", "--option", "esrgan.tile=256"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    # It was "--option esrgan.tile: name a stage of this run (lanczos) as STAGE.KEY".
    assert (
        "--option esrgan.tile: this run upscales with lanczos, not esrgan (the Real-ESRGAN models are "
        "not on this machine; run `reelgen pull realesrgan`); esrgan's options go with --upscaler esrgan"
    ) in _said(result), result.output
    assert not out.exists()


def test_an_interpolator_option_names_the_interpolator_flag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGEN_MODELS_DIR", str(tmp_path / "models"))
    source = _clip(tmp_path / "in.mp4", frames=3, sound=False)
    result = runner.invoke(app, ["enhance", str(source), "--interpolate", "2", "--option", "rife.scale=1"])
    assert result.exit_code == 2, result.output
    said = _said(result)
    assert "this run interpolates with flow, not rife (RIFE weights are not on this machine" in said, said
    assert "rife's options go with --interpolator rife" in said, said
