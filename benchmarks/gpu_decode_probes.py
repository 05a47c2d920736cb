"""Issue 17's GPU probes of the stages after the denoiser: the MP4 encoder, LTX's VAE decode, Wan's VAE tiles.

`gpu_core.py` runs them by name.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any


def encode_probe(out: Path) -> dict[str, Any]:
    """MP4 encode time of a 768x512x121 clip per x264 preset and RGB -> YUV conversion threads (0: serial)."""
    import numpy as np

    from reelgen.core import encode
    from reelgen.core.types import Video, to_fraction

    t = np.arange(121)[:, None, None]
    y, x = np.mgrid[0:512, 0:768]
    wave = ((np.sin(x / 40 + t / 6) + np.cos(y / 30 - t / 9)) * 60 + 128).astype(np.uint8)
    smooth = np.ascontiguousarray(np.stack([wave, 255 - wave, wave // 2], axis=-1))
    noisy = np.random.default_rng(0).integers(0, 256, (121, 512, 768, 3), dtype=np.uint8)
    default = encode.convert_workers()
    rows = []
    for content, frames in (("smooth", smooth), ("noise", noisy)):
        video = Video(frames, to_fraction(25.0))
        for preset in ("veryfast", "superfast", "ultrafast"):
            for threads in (0, 2, 4, 8):
                encode.convert_workers = lambda n=threads: n  # type: ignore[misc]
                started = time.perf_counter()
                path = encode.write_video(video, out / "probe.mp4", preset=preset)
                rows.append(
                    {
                        "content": content,
                        "preset": preset,
                        "convert_threads": threads,
                        "seconds": round(time.perf_counter() - started, 3),
                        "bytes": path.stat().st_size,
                    }
                )
        print(json.dumps(rows[-12:]), flush=True)
    (out / "probe.mp4").unlink(missing_ok=True)
    return {"cpu_count": os.cpu_count(), "default_convert_threads": default, "rows": rows}


def vae_probe() -> dict[str, Any]:
    """LTX 2B's VAE decode of a 768x512x121 clip (bf16, cuDNN autotuned) as the fast path runs it, against
    channels-last-3d, the decoder compiled whole or block by block, and both; each output's relative error
    against the first."""
    import copy

    import torch
    from diffusers import AutoencoderKLLTXVideo

    from reelgen.core import bench_models
    from reelgen.core.backends.ltx.weights import full_configs

    torch.backends.cudnn.benchmark = True
    config = full_configs("ltx-2b")["vae"]
    base = bench_models.random_module(lambda: AutoencoderKLLTXVideo(**config), "cuda", torch.bfloat16)
    gen = torch.Generator("cuda").manual_seed(0)
    latents = torch.randn(1, 128, 16, 16, 24, device="cuda", dtype=torch.bfloat16, generator=gen)
    temb = torch.full((1,), 0.05, device="cuda", dtype=torch.bfloat16)
    kwargs = {"temb": temb} if base.config.get("timestep_conditioning") else {}

    def timed(vae: Any, z: torch.Tensor) -> tuple[float, torch.Tensor]:
        with torch.inference_mode():
            for _ in range(2):
                out = vae.decode(z, **kwargs, return_dict=False)[0]
            torch.cuda.synchronize()
            start = time.perf_counter()
            for _ in range(3):
                out = vae.decode(z, **kwargs, return_dict=False)[0]
            torch.cuda.synchronize()
        return (time.perf_counter() - start) / 3, out.float()

    rows: dict[str, Any] = {}
    reference = None
    variants = (
        "eager",
        "channels_last_3d",
        "compiled",
        "compiled+channels_last_3d",
        "regional+channels_last_3d",
        "regional",
    )
    for variant in variants:
        vae, z = copy.deepcopy(base), latents
        torch.cuda.reset_peak_memory_stats()
        if "channels_last_3d" in variant:
            vae = vae.to(memory_format=torch.channels_last_3d)
            z = latents.contiguous(memory_format=torch.channels_last_3d)
        if variant.startswith("compiled"):
            vae.decoder = torch.compile(vae.decoder, dynamic=False)
        if variant.startswith("regional"):  # each resnet and upsampler compiled on its own
            for module in vae.decoder.modules():
                if type(module).__name__ in ("LTXVideoResnetBlock3d", "LTXVideoUpsampler3d"):
                    module.compile(dynamic=False)
        try:
            started = time.perf_counter()
            seconds, out = timed(vae, z)
            warmup = time.perf_counter() - started - 3 * seconds  # the two untimed calls: compile, autotune
        except Exception as exc:  # a variant that cannot run is a finding, not the end of the probe
            rows[variant] = {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}
            continue
        reference = out if reference is None else reference
        rows[variant] = {
            "seconds": round(seconds, 4),
            "warmup_s": round(warmup, 1),
            "peak_gib": round(torch.cuda.max_memory_allocated() / 2**30, 2),
            "rel_err_vs_eager": float((out - reference).norm() / reference.norm()),
        }
        print(json.dumps({variant: rows[variant]}), flush=True)
        del vae, out
        torch.cuda.empty_cache()
    return rows


#: Wan VAE tilings tried by ``wan-vae-tiles``: (name, tile height, tile width, stride height, stride width) in
#: pixels of the 832x480 frame; None is the untiled decode, "default" diffusers' 256/192 tiles.
WAN_TILES: list[tuple[str, int | None, int | None, int | None, int | None]] = [
    ("untiled", None, None, None, None),
    ("default 256/192", 256, 256, 192, 192),
    ("1x2", 480, 480, 480, 416),
    ("2x2", 304, 480, 240, 416),
    ("2x3", 304, 344, 240, 280),
    ("1x3", 480, 344, 480, 280),
    ("1x4", 480, 272, 480, 208),
]


def wan_vae_tiles_probe() -> dict[str, Any]:
    """Wan 2.1's VAE decode (float32, full size, random weights) of an 832x480x81 clip, untiled and in
    tiles of several sizes: time, the decode's own peak VRAM (beyond what was allocated before it) and
    the relative error against untiled."""
    import torch
    from diffusers import AutoencoderKLWan

    from reelgen.core import bench_models

    torch.backends.cudnn.benchmark = True
    vae = bench_models.random_module(AutoencoderKLWan, "cuda", torch.float32)
    gen = torch.Generator("cuda").manual_seed(0)
    latents = torch.randn(1, 16, 21, 60, 104, device="cuda", generator=gen)
    weights = torch.cuda.memory_allocated()
    rows: dict[str, Any] = {"weights_gib": round(weights / 2**30, 3)}
    reference = None
    for name, th, tw, sh, sw in WAN_TILES:
        if th is None:
            vae.disable_tiling()
        else:
            vae.enable_tiling(th, tw, sh, sw)
        with torch.inference_mode():
            vae.decode(latents, return_dict=False)  # cuDNN picks its algorithms for these shapes
            torch.cuda.synchronize()
            torch.cuda.empty_cache()
            torch.cuda.reset_peak_memory_stats()
            before = torch.cuda.memory_allocated()  # the weights, the latents and the untiled output kept
            start = time.perf_counter()
            out = vae.decode(latents, return_dict=False)[0]
            torch.cuda.synchronize()
            seconds = time.perf_counter() - start
        peak = torch.cuda.max_memory_allocated() - before
        reference = out if reference is None else reference
        rows[name] = {
            "tile_px": [th, tw, sh, sw],
            "seconds": round(seconds, 3),
            "peak_gib": round(peak / 2**30, 3),
            "rel_err_vs_untiled": float((out - reference).norm() / reference.norm()),
        }
        print(json.dumps({name: rows[name]}), flush=True)
        del out
    return rows
