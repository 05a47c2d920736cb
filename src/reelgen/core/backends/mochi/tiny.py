"""A tiny Mochi pipeline built without downloads: real classes, small configs, seeded weights."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reelgen.core.spec.family import Preset


def build_tiny_pipeline(preset: Preset, folder: Path) -> None:
    """Write ``preset``'s tiny Mochi pipeline to ``folder``."""
    import torch
    from diffusers import (
        AutoencoderKLMochi,
        FlowMatchEulerDiscreteScheduler,
        MochiPipeline,
        MochiTransformer3DModel,
    )

    from reelgen.core.backends import tiny

    torch.manual_seed(0)
    transformer: Any = MochiTransformer3DModel(
        patch_size=2,
        num_attention_heads=2,
        attention_head_dim=8,
        num_layers=2,
        pooled_projection_dim=16,
        in_channels=12,
        qk_norm="rms_norm",
        text_embed_dim=tiny.TEXT_DIM,
        time_embed_dim=4,
        activation_fn="swiglu",
        max_sequence_length=16,
    )
    # The RoPE frequencies start as zeros (they are learned); seeded values make the tiny model move.
    with torch.no_grad():
        transformer.pos_frequencies.normal_(0.0, 0.5)
    torch.manual_seed(0)
    # The Mochi VAE's group norms have 32 groups, so 32 channels is its floor.
    vae = AutoencoderKLMochi(
        latent_channels=12,
        out_channels=3,
        encoder_block_out_channels=(32, 32, 32, 32),
        decoder_block_out_channels=(32, 32, 32, 32),
        layers_per_block=(1, 1, 1, 1, 1),
    )
    tokenizer = tiny.t5_tokenizer()
    pipe = MochiPipeline(
        scheduler=FlowMatchEulerDiscreteScheduler(),
        vae=vae,
        text_encoder=tiny.t5_encoder(len(tokenizer)),
        tokenizer=tokenizer,
        transformer=transformer,
    )
    tiny.save_pipeline(pipe, folder)
