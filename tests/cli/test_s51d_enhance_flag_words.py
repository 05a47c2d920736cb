"""`reelgen enhance` names the flag a factor's refusal is about, and the file a factor lacks."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from tests.cli.test_enhance_cli import _clip, _said
from tests.core.test_s51d_esrgan_scale_files import _x4_only

runner = CliRunner()


def test_a_factor_the_model_cannot_make_names_the_upscale_flag(tmp_path: Path) -> None:
    source, out = _clip(tmp_path / "in.mp4", frames=3, sound=False), tmp_path / "out.mp4"
    args = ["enhance", str(source), "-o", str(out), "--upscale", "2", "--upscaler", "realesrgan-x4plus"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    # It was "realesrgan-x4plus upscales by x4, not x2; ...", with no flag named.
    assert "--upscale 2: realesrgan-x4plus upscales by x4, not x2;" in _said(result), result.output
    assert not out.exists()


def test_an_option_for_esrgan_at_a_factor_not_pulled_names_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    where = _x4_only(tmp_path, monkeypatch)
    source, out = _clip(tmp_path / "in.mp4", frames=3, sound=False), tmp_path / "out.mp4"
    args = ["enhance", str(source), "-o", str(out), "--upscale", "2", "--option", "esrgan.tile=256"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    # It was "(the Real-ESRGAN models are not on this machine; ...)", with the x4 files there.
    assert (
        f"this run upscales with lanczos, not esrgan (realesr-animevideov3 x2 is not on this machine: "
        f"{where} lacks realesr-animevideov3-x2.param; run `reelgen pull realesrgan`)"
    ) in _said(result), result.output
