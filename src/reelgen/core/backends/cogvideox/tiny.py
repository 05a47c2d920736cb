"""Tiny CogVideoX pipelines built without downloads: real classes, small configs, seeded weights."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reelgen.core.spec.family import Preset
from reelgen.core.spec.request import Task


def _transformer(image_to_video: bool) -> Any:
    from diffusers import CogVideoXTransformer3DModel

    from reelgen.core.backends.tiny import TEXT_DIM

    return CogVideoXTransformer3DModel(
        num_attention_heads=2,
        attention_head_dim=16,
        # I2V concatenates the image latents to the noise on the channel axis.
        in_channels=8 if image_to_video else 4,
        out_channels=4,
        time_embed_dim=2,
        text_embed_dim=TEXT_DIM,
        num_layers=1,
        sample_width=4,
        sample_height=4,
        sample_frames=9,
        patch_size=2,
        temporal_compression_ratio=4,
        max_text_seq_length=16,
        use_rotary_positional_embeddings=image_to_video,
        use_learned_positional_embeddings=image_to_video,
    )


def build_tiny_pipeline(preset: Preset, folder: Path) -> None:
    """Write ``preset``'s tiny CogVideoX pipeline (text or image to video) to ``folder``."""
    import torch
    from diffusers import (
        AutoencoderKLCogVideoX,
        CogVideoXImageToVideoPipeline,
        CogVideoXPipeline,
        DDIMScheduler,
    )

    from reelgen.core.backends import tiny

    image_to_video = Task.I2V in preset.tasks
    torch.manual_seed(0)
    transformer = _transformer(image_to_video)
    torch.manual_seed(0)
    vae = AutoencoderKLCogVideoX(
        in_channels=3,
        out_channels=3,
        down_block_types=("CogVideoXDownBlock3D",) * 4,
        up_block_types=("CogVideoXUpBlock3D",) * 4,
        block_out_channels=(8, 8, 8, 8),
        latent_channels=4,
        layers_per_block=1,
        norm_num_groups=2,
        temporal_compression_ratio=4,
    )
    tokenizer = tiny.t5_tokenizer()
    cls = CogVideoXImageToVideoPipeline if image_to_video else CogVideoXPipeline
    pipe = cls(
        tokenizer=tokenizer,
        text_encoder=tiny.t5_encoder(len(tokenizer)),
        vae=vae,
        transformer=transformer,
        scheduler=DDIMScheduler(),
    )
    tiny.save_pipeline(pipe, folder)
