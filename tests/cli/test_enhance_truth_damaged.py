"""`reelgen enhance` with a pulled Real-ESRGAN file damaged in place: refused as damaged, exit 2, nothing written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from tests.cli.test_enhance_cli import _clip, _said
from tests.core.enhance_media import real_weights

runner = CliRunner()


def _damaged_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A pulled realesrgan folder whose x2 graph was changed in place, its size kept (one digit of a layer)."""
    models = tmp_path / "models"
    shutil.copytree(real_weights("realesrgan"), models / "realesrgan")
    param = models / "realesrgan" / "realesr-animevideov3-x2.param"
    text = param.read_bytes()
    param.write_bytes(text.replace(b"6=1728", b"6=1729", 1))
    assert param.stat().st_size == len(text)
    monkeypatch.setenv("REELGEN_MODELS_DIR", str(models))
    return param


def test_a_damaged_pulled_graph_is_refused_as_damaged_before_any_stage_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It used to reach ncnn, which could not parse it: "internal error (RuntimeError ...)", exit 1,
    # after the interpolation had run.
    param = _damaged_models(tmp_path, monkeypatch)
    source, out = _clip(tmp_path / "in.mp4", frames=3), tmp_path / "out.mp4"
    args = ["enhance", str(source), "-o", str(out), "-q", "--interpolate", "2", "--interpolator", "flow"]
    result = runner.invoke(app, [*args, "--upscale", "2"])
    said = _said(result)
    assert result.exit_code == 2, said
    assert f"{param} is damaged" in said
    assert "run `reelgen pull realesrgan` again" in said
    assert "internal error" not in said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.mp4", "models"]
