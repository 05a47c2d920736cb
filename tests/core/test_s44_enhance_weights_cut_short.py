"""Pulled weights cut short (wrong size) are damaged, not absent: `auto` must not quietly run without them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.enhance import weights
from reelgen.core.enhance.auto import interpolation_step, upscale_step
from reelgen.core.enhance.registry import enhancers
from reelgen.core.enhance.upscale.models import NAMED, named_files
from reelgen.core.errors import ModelNotAvailable
from tests.cli.test_enhance_cli import _clip, _said

runner = CliRunner()


def _models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    models = tmp_path / "models"
    monkeypatch.setenv("REELGEN_MODELS_DIR", str(models))
    return models


def _cut_short_rife(models: Path) -> Path:
    """A flownet.pkl whose copy stopped after a few bytes."""
    (models / "rife").mkdir(parents=True)
    pkl = models / "rife" / "flownet.pkl"
    pkl.write_bytes(b"PK\x03\x04 cut short")
    return pkl


def test_a_cut_short_rife_file_is_not_passed_over_by_auto(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It was taken as "not pulled": auto ran optical flow and said nothing of the damaged file.
    pkl = _cut_short_rife(_models(tmp_path, monkeypatch))
    assert enhancers()["rife"].missing() is None
    assert interpolation_step(2, None, "auto").name == "rife"
    with pytest.raises(ModelNotAvailable, match="is damaged.*reelgen pull rife` again"):
        weights.checked_sha256(pkl)


def test_no_rife_file_still_falls_back_to_flow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _models(tmp_path, monkeypatch)
    assert enhancers()["rife"].missing() is not None
    assert interpolation_step(2, None, "auto").name == "flow"


def _anime_files(models: Path) -> Path:
    """realesr-animevideov3's files (content unchecked here) and none of the other models'."""
    where = models / "realesrgan"
    where.mkdir(parents=True)
    named = NAMED["realesr-animevideov3"]
    for name in (*(named.param(s) for s in named.scales), named.bin):
        (where / name).write_bytes(b"x")
    return where


def test_auto_upscaling_needs_only_the_model_it_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A damaged or missing realesrgan-x4plus.bin made auto take Lanczos and said animevideov3
    # was "not on this machine" although its own files were there.
    where = _anime_files(_models(tmp_path, monkeypatch))
    (where / "realesrgan-x4plus.param").write_bytes(b"7767517")
    (where / "realesrgan-x4plus.bin").write_bytes(b"cut")
    assert enhancers()["esrgan"].missing() is None
    step = upscale_step(2, "auto")
    assert (step.name, step.options["model"]) == ("esrgan", "realesr-animevideov3")
    param, bin_file = named_files("realesr-animevideov3", 2)
    assert param == where / "realesr-animevideov3-x2.param"
    with pytest.raises(ModelNotAvailable, match="is damaged.*reelgen pull realesrgan` again"):
        weights.checked_sha256(bin_file)
    with pytest.raises(ModelNotAvailable, match="realesrgan-x4plus.bin is damaged"):
        weights.checked_sha256(named_files("realesrgan-x4plus", 4)[1])


def test_a_named_model_whose_files_are_absent_is_said_to_be_not_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _anime_files(_models(tmp_path, monkeypatch))
    with pytest.raises(Exception, match="not on this machine.*reelgen pull realesrgan"):
        named_files("realesrgan-x4plus", 4)
    (tmp_path / "models" / "realesrgan" / "realesr-animevideov3-x4.bin").unlink()
    assert enhancers()["esrgan"].missing() is not None
    assert upscale_step(2, "auto").name == "lanczos"


def test_enhance_refuses_a_cut_short_rife_file_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pkl = _cut_short_rife(_models(tmp_path, monkeypatch))
    source, out = _clip(tmp_path / "in.mp4", frames=3, sound=False), tmp_path / "out.mp4"
    result = runner.invoke(app, ["enhance", str(source), "-o", str(out), "-q", "--interpolate", "2"])
    said = _said(result)
    assert result.exit_code == 2, said
    assert f"{pkl} is damaged" in said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.mp4", "models"]
