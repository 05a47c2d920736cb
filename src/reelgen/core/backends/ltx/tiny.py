"""The tiny LTX-Video build: the real classes at toy size with seeded random weights, no downloads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reelgen.core.spec.family import Preset


def tiny_transformer(heads: int = 4, layers: int = 1) -> Any:
    """One transformer block of four 8-wide heads over 8 latent channels, reading text of width ``TEXT_DIM``
    (other sizes make LoRAs for another size of the model, in tests)."""
    import torch
    from diffusers import LTXVideoTransformer3DModel

    from reelgen.core.backends.tiny import TEXT_DIM

    torch.manual_seed(0)
    transformer: Any = LTXVideoTransformer3DModel(
        in_channels=8,
        out_channels=8,
        patch_size=1,
        patch_size_t=1,
        num_attention_heads=heads,
        attention_head_dim=8,
        cross_attention_dim=heads * 8,
        num_layers=layers,
        caption_channels=TEXT_DIM,
    )
    return transformer.eval()


def drifting_pattern(frames: int = 49, side: int = 64) -> Any:
    """A (1, 3, T, H, W) clip in [-1, 1] for ``tiny_vae``: three sinusoids drifting at different speeds,
    so every frame differs from its neighbours (checks of where decoded frames land)."""
    import torch

    t = torch.linspace(0, 1, frames)[:, None, None]
    x = torch.linspace(0, 1, side)[None, None, :]
    y = torch.linspace(0, 1, side)[None, :, None]
    shape = (frames, side, side)
    channels = (torch.sin(6 * (x + t)), torch.cos(5 * (y - t)), torch.sin(4 * (x + y) + 3 * t))
    return torch.stack([c.expand(shape) for c in channels])[None]


def tiny_vae() -> Any:
    """4x spatial and 4x temporal compression, so 64x64x9 is 16x16x3 latents."""
    import torch
    from diffusers import AutoencoderKLLTXVideo

    torch.manual_seed(0)
    vae: Any = AutoencoderKLLTXVideo(
        in_channels=3,
        out_channels=3,
        latent_channels=8,
        block_out_channels=(8, 8, 8, 8),
        decoder_block_out_channels=(8, 8, 8, 8),
        layers_per_block=(1, 1, 1, 1, 1),
        decoder_layers_per_block=(1, 1, 1, 1, 1),
        spatio_temporal_scaling=(True, True, False, False),
        decoder_spatio_temporal_scaling=(True, True, False, False),
        decoder_inject_noise=(False,) * 5,
        upsample_residual=(False,) * 4,
        upsample_factor=(1,) * 4,
        timestep_conditioning=False,
        patch_size=1,
        patch_size_t=1,
        encoder_causal=True,
        decoder_causal=False,
    )
    return vae.eval()


def build_tiny_pipeline(preset: Preset, folder: Path) -> None:
    """Write the tiny LTXPipeline (transformer, VAE, T5 encoder, in-memory tokenizer) to ``folder``."""
    from diffusers import FlowMatchEulerDiscreteScheduler, LTXPipeline

    from reelgen.core.backends import tiny

    tokenizer = tiny.t5_tokenizer()
    pipe = LTXPipeline(
        transformer=tiny_transformer(),
        vae=tiny_vae(),
        scheduler=FlowMatchEulerDiscreteScheduler(),
        text_encoder=tiny.t5_encoder(len(tokenizer)),
        tokenizer=tokenizer,
    )
    tiny.save_pipeline(pipe, folder)
