"""LTX-Video's VAE decoded in runs of frames: every frame where the whole decode puts it."""

from __future__ import annotations

from typing import Any

import pytest
import torch

from reelgen.core.backends.ltx.presets import tile_in_time
from reelgen.core.backends.ltx.runner import LTXRunner
from reelgen.core.backends.ltx.time_tiles import decode_in_time
from reelgen.core.backends.ltx.tiny import drifting_pattern, tiny_vae
from reelgen.core.progress import Progress
from reelgen.core.spec import registry, resolve
from reelgen.core.spec.memory import MemoryPlan
from reelgen.core.spec.request import GenerationRequest
from reelgen.core.weights import locate


@pytest.fixture(scope="module")
def vae() -> Any:
    return tiny_vae()


def test_each_frame_lands_where_the_whole_decode_puts_it(vae: Any) -> None:
    """Frame k of the run-by-run decode is closest to frame k of the whole decode (diffusers' own put
    every frame after the first seam one frame late), and the clip is close to the whole decode."""
    with torch.no_grad():
        latents = vae.encode(drifting_pattern()).latent_dist.mode()
        whole = vae.decode(latents, return_dict=False)[0]
        vae.tile_sample_min_num_frames, vae.tile_sample_stride_num_frames = 32, 24
        tiled = decode_in_time(vae, latents, return_dict=False)[0]
    assert tiled.shape == whole.shape

    def off(k: int, j: int) -> float:
        return float((tiled[0, :, k] - whole[0, :, j]).norm() / whole[0, :, j].norm())

    assert all(off(k, k) < off(k, k - 1) for k in range(1, whole.shape[2]))
    assert float((tiled - whole).norm() / whole.norm()) < 0.3  # diffusers' own: 0.79 here


def test_an_ltx_plan_that_tiles_its_vae_renders_every_frame() -> None:
    """Under a plan with VAE tiling the LTX runner decodes in runs of frames, and the clip keeps the
    frame count asked for."""
    spec, preset = registry.resolve("ltx-tiny")[:2]
    request = resolve(GenerationRequest(model="ltx-tiny", prompt="a fox", num_frames=49, steps=2, seed=1))
    runner = LTXRunner(spec, preset)
    runner.load(locate(spec, preset), MemoryPlan("cpu", "cpu", "float32", None, 0.0, vae_tiling=True))
    vae = runner.pipe.vae
    assert vae.use_framewise_decoding and vae._temporal_tiled_decode.__func__ is decode_in_time
    assert request.num_frames > vae.tile_sample_min_num_frames  # so the decode does run in tiles
    assert runner.generate(request, Progress()).num_frames == 49
    tile_in_time(vae)  # applying it twice changes nothing
    assert vae._temporal_tiled_decode.__func__ is decode_in_time
