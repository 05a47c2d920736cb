"""A Real-ESRGAN factor whose files are not pulled names those files; the other factors' files count for theirs."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.enhance.upscale.models import NAMED, auto_model_missing, named_files
from reelgen.core.errors import InvalidRequest


def _x4_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """realesr-animevideov3's x4 files alone, as a copy of just those leaves them."""
    monkeypatch.setenv("REELGEN_MODELS_DIR", str(tmp_path / "models"))
    where = tmp_path / "models" / "realesrgan"
    where.mkdir(parents=True)
    named = NAMED["realesr-animevideov3"]
    for name in (named.param(4), named.bin):
        (where / name).write_bytes(b"x")
    return where


def test_x2_without_its_file_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    where = _x4_only(tmp_path, monkeypatch)
    with pytest.raises(InvalidRequest) as caught:
        named_files("realesr-animevideov3", 2)
    # It was "the Real-ESRGAN models are not on this machine", with the x4 files there.
    assert caught.value.message == (
        f"realesr-animevideov3 x2 is not on this machine: {where} lacks realesr-animevideov3-x2.param; "
        "run `reelgen pull realesrgan`, or use the lanczos upscaler (no weights)"
    )
    assert named_files("realesr-animevideov3", 4) == (
        where / "realesr-animevideov3-x4.param",
        where / "realesr-animevideov3-x4.bin",
    )


def test_auto_needs_only_the_factor_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    where = _x4_only(tmp_path, monkeypatch)
    assert auto_model_missing(4) is None
    assert auto_model_missing() is None  # some factor runs here
    assert auto_model_missing(2) == (
        f"realesr-animevideov3 x2 is not on this machine: {where} lacks realesr-animevideov3-x2.param; "
        "run `reelgen pull realesrgan`"
    )
    (where / "realesr-animevideov3-x4.bin").unlink()
    assert auto_model_missing() == (
        f"realesr-animevideov3 is not on this machine: {where} lacks realesr-animevideov3-x2.param and "
        "realesr-animevideov3-x3.param and realesr-animevideov3-x4.bin; run `reelgen pull realesrgan`"
    )


def test_nothing_pulled_is_said_as_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REELGEN_MODELS_DIR", str(tmp_path / "models"))
    assert auto_model_missing(2) == (
        "the Real-ESRGAN models are not on this machine; run `reelgen pull realesrgan`"
    )
    with pytest.raises(InvalidRequest, match=r"^the Real-ESRGAN models are not on this machine \("):
        named_files("realesrgan-x4plus", 4)
