"""`--option esrgan.KEY` with a factor no named esrgan model makes says so, not "go with --upscaler esrgan"."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from tests.cli.test_enhance_cli import _clip, _said

runner = CliRunner()


@pytest.fixture
def pulled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The x4 model's files there, so esrgan is not passed over for want of weights."""
    models = tmp_path / "models"
    (models / "realesrgan").mkdir(parents=True)
    for name in ("realesr-animevideov3-x4.param", "realesr-animevideov3-x4.bin"):
        (models / "realesrgan" / name).write_bytes(b"x")
    monkeypatch.setenv("REELGEN_MODELS_DIR", str(models))


@pytest.mark.parametrize(
    ("factor", "why"),
    [
        (
            "8",
            "no named esrgan model upscales by x8 (they make x2, x3 or x4); give --upscale 2, 3 or 4, "
            "or --upscaler with a checkpoint file that makes x8",
        ),
        ("1.5", "esrgan takes whole factors, not x1.5; give --upscale 2, 3 or 4"),
    ],
)
def test_an_esrgan_option_with_a_factor_no_named_model_makes_says_so(
    tmp_path: Path, pulled: None, factor: str, why: str
) -> None:
    source, out = _clip(tmp_path / "in.mp4", frames=3, sound=False), tmp_path / "out.mp4"
    args = ["enhance", str(source), "-o", str(out), "--upscale", factor, "--option", "esrgan.tile=256"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    said = _said(result)
    # It said "esrgan's options go with --upscaler esrgan", and that run was refused the factor.
    assert f"--option esrgan.tile: this run upscales with lanczos, not esrgan: {why}" in said, said
    assert "--upscaler esrgan" not in said
    assert not out.exists()
