"""The tiny AnimateDiff build: a Stable Diffusion 1.5-shaped UNet, VAE and text encoder with a motion adapter, seeded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reelgen.core.spec.family import Preset


def tiny_sd15_parts() -> dict[str, Any]:
    """A Stable Diffusion 1.5-shaped UNet, VAE (2x), CLIP text encoder and DDIM scheduler, seeded."""
    import torch
    from diffusers import AutoencoderKL, DDIMScheduler, UNet2DConditionModel

    from reelgen.core.backends import tiny

    torch.manual_seed(0)
    unet = UNet2DConditionModel(
        block_out_channels=(8, 8),
        layers_per_block=2,
        sample_size=16,
        in_channels=4,
        out_channels=4,
        down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"),
        up_block_types=("UpBlock2D", "CrossAttnUpBlock2D"),
        cross_attention_dim=8,
        norm_num_groups=2,
    )
    torch.manual_seed(0)
    vae = AutoencoderKL(
        block_out_channels=(8, 8),
        in_channels=3,
        out_channels=3,
        down_block_types=("DownEncoderBlock2D",) * 2,
        up_block_types=("UpDecoderBlock2D",) * 2,
        latent_channels=4,
        norm_num_groups=2,
    )
    tokenizer = tiny.clip_tokenizer()
    return {
        "unet": unet,
        "vae": vae,
        "text_encoder": tiny.clip_text_encoder(len(tokenizer), hidden_size=8),
        "tokenizer": tokenizer,
        "scheduler": DDIMScheduler(
            beta_start=0.00085, beta_end=0.012, beta_schedule="linear", clip_sample=False, steps_offset=1
        ),
    }


def tiny_motion_adapter() -> Any:
    """A motion adapter matching ``tiny_sd15_parts``' UNet blocks, seeded."""
    import torch
    from diffusers import MotionAdapter

    torch.manual_seed(0)
    return MotionAdapter(
        block_out_channels=(8, 8),
        motion_layers_per_block=2,
        motion_norm_num_groups=2,
        motion_num_attention_heads=4,
    )


def build_tiny_pipeline(preset: Preset, folder: Path) -> None:
    """Write the tiny AnimateDiff pipeline (SD1.5 parts and motion adapter) to ``folder``."""
    from diffusers import AnimateDiffPipeline

    from reelgen.core.backends import tiny

    pipe = AnimateDiffPipeline(
        **tiny_sd15_parts(), motion_adapter=tiny_motion_adapter(), feature_extractor=None, image_encoder=None
    )
    tiny.save_pipeline(pipe, folder)
