"""`reelgen enhance` with one scale's Real-ESRGAN files: that scale is taken, another names `reelgen pull`."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from tests.cli.test_enhance_cli import _clip, _said

runner = CliRunner()


@pytest.fixture
def only_x4(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    models = tmp_path / "models"
    (models / "realesrgan").mkdir(parents=True)
    for name in ("realesr-animevideov3-x4.param", "realesr-animevideov3-x4.bin"):
        (models / "realesrgan" / name).write_bytes(b"x")  # the right names, not the published bytes
    monkeypatch.setenv("REELGEN_MODELS_DIR", str(models))
    return models


def test_an_unpulled_scale_names_the_pull_command(tmp_path: Path, only_x4: Path) -> None:
    source, out = _clip(tmp_path / "in.mp4", frames=3), tmp_path / "out.mp4"
    args = ["enhance", str(source), "-o", str(out), "--upscale", "2", "--upscaler", "realesr-animevideov3"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "run `reelgen pull realesrgan`, or use the lanczos upscaler" in _said(result)
    assert not out.exists()


def test_auto_takes_the_pulled_scale(tmp_path: Path, only_x4: Path) -> None:
    source, out = _clip(tmp_path / "in.mp4", frames=3), tmp_path / "out.mp4"
    result = runner.invoke(app, ["enhance", str(source), "-o", str(out), "--upscale", "4"])
    # auto x4 went to Lanczos without a word, as the x2 and x3 files were not there; it now takes the
    # x4 model, whose files here are refused by their hash before any work.
    assert result.exit_code == 2, result.output
    assert "realesr-animevideov3-x4.param is damaged" in _said(result)
    assert not out.exists()
