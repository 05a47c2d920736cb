"""Real-ESRGAN's precision is what ran: ncnn (fp32 only) refuses fp16/bf16, and auto gives them to torch."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from skimage import data

from reelgen.core.enhance import run_chain
from reelgen.core.enhance.registry import resolve_chain
from reelgen.core.enhance.upscale.models import named_files
from reelgen.core.enhance.upscale.ncnn_runtime import NcnnUpscaler
from reelgen.core.errors import InvalidRequest
from reelgen.core.progress import Progress
from reelgen.core.spec.request import EnhanceStep
from reelgen.core.types import Video
from tests.core.enhance_media import real_weights

FRAMES = np.ascontiguousarray(data.astronaut()[180:196, 200:216][None])  # one 16x16 frame


@pytest.fixture(autouse=True)
def realesrgan(monkeypatch: pytest.MonkeyPatch) -> Path:
    where = real_weights("realesrgan")
    monkeypatch.setenv("REELGEN_MODELS_DIR", str(where.parent))
    return where


def _step(**options: object) -> EnhanceStep:
    return EnhanceStep(name="esrgan", options={"scale": 2, **options})


@pytest.mark.parametrize("precision", ["fp16", "bf16"])
def test_a_half_precision_on_the_ncnn_runtime_is_refused_before_anything_runs(precision: str) -> None:
    """It ran fp32 and recorded dtype fp32 beside "precision": "fp16", saying nothing."""
    with pytest.raises(InvalidRequest) as caught:
        resolve_chain([_step(runtime="ncnn", precision=precision)], 16, 16, 1, 24)
    assert caught.value.param == "precision"
    assert caught.value.message == (
        f"precision {precision}: the ncnn runtime computes in fp32 only; use precision fp32 (or auto) "
        f"with runtime ncnn, or runtime torch (or auto) for {precision}"
    )


def test_fp16_with_runtime_auto_on_the_cpu_runs_fp16_on_torch_and_says_so() -> None:
    """auto picked ncnn on the CPU and ran fp32 whatever precision was asked."""
    half, [record] = run_chain(Video(FRAMES, Fraction(24)), [_step(precision="fp16")], Progress())
    assert (record["runtime"], record["dtype"]) == ("torch", "float16")
    full, [plain] = run_chain(Video(FRAMES, Fraction(24)), [_step()], Progress())
    assert (plain["runtime"], plain["dtype"]) == ("ncnn", "fp32")
    assert np.abs(half.frames.astype(int) - full.frames.astype(int)).max() <= 3  # the same picture


def test_the_ncnn_net_is_set_to_fp32_as_its_record_says() -> None:
    """ncnn's own defaults store and compute in fp16 where the CPU can (ARM); the record said fp32."""
    param, bin_file = named_files("realesr-animevideov3", 2)
    opt = NcnnUpscaler(param, bin_file, 2).net.opt
    assert not (
        opt.use_fp16_storage or opt.use_fp16_packed or opt.use_fp16_arithmetic or opt.use_bf16_storage
    )
