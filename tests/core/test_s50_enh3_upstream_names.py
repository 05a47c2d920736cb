"""Upscaler and interpolator names spelt as upstream spells them are taken, and recorded by reelgen's name."""

from __future__ import annotations

import pytest

from reelgen.core.enhance.auto import interpolation_step, upscale_step
from reelgen.core.errors import InvalidRequest


@pytest.mark.parametrize(
    ("typed", "model"),
    [
        ("RealESRGAN_x4plus", "realesrgan-x4plus"),
        ("RealESRGAN_x4plus_anime_6B", "realesrgan-x4plus-anime"),
        ("realesr_animevideov3", "realesr-animevideov3"),
        ("REALESRGAN-X4PLUS-ANIME", "realesrgan-x4plus-anime"),
    ],
)
def test_an_upstream_model_name_is_recorded_by_reelgens_name(typed: str, model: str) -> None:
    step = upscale_step(4, typed)
    assert (step.name, step.options) == ("esrgan", {"scale": 4, "model": model})


def test_methods_are_taken_in_any_case() -> None:
    assert upscale_step(2, "Lanczos").name == "lanczos"
    assert upscale_step(2, "ESRGAN").name == "esrgan"
    assert interpolation_step(2, None, "RIFE").name == "rife"
    assert interpolation_step(2, None, "Flow").name == "flow"


def test_a_near_miss_is_still_refused_with_did_you_mean() -> None:
    with pytest.raises(InvalidRequest) as upscaler:
        upscale_step(4, "RealESRGAN_x4plu")
    assert "is not known" in str(upscaler.value) and "did you mean realesrgan-x4plus?" in str(upscaler.value)
    with pytest.raises(InvalidRequest) as interpolator:
        interpolation_step(2, None, "rif")
    assert "valid: auto, flow, rife" in str(interpolator.value)
    assert "did you mean rife?" in str(interpolator.value)
