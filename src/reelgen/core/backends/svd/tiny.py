"""A tiny Stable Video Diffusion pipeline built without downloads: real classes, small configs, seeded weights."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reelgen.core.spec.family import Preset


def _unet() -> Any:
    from diffusers import UNetSpatioTemporalConditionModel

    # The UNet sees the image embedding through cross-attention (cross_attention_dim =
    # projection_dim) and fps/motion/noise through 3 x addition_time_embed_dim inputs.
    return UNetSpatioTemporalConditionModel(
        block_out_channels=(32, 32),
        layers_per_block=1,
        sample_size=8,
        in_channels=8,
        out_channels=4,
        down_block_types=("CrossAttnDownBlockSpatioTemporal", "DownBlockSpatioTemporal"),
        up_block_types=("UpBlockSpatioTemporal", "CrossAttnUpBlockSpatioTemporal"),
        cross_attention_dim=16,
        num_attention_heads=2,
        projection_class_embeddings_input_dim=48,
        addition_time_embed_dim=16,
    )


def _scheduler() -> Any:
    from diffusers import EulerDiscreteScheduler

    # The scheduler config the SVD checkpoints ship.
    return EulerDiscreteScheduler(
        beta_start=0.00085,
        beta_end=0.012,
        beta_schedule="scaled_linear",
        interpolation_type="linear",
        prediction_type="v_prediction",
        sigma_max=700.0,
        sigma_min=0.002,
        steps_offset=1,
        timestep_spacing="leading",
        timestep_type="continuous",
        use_karras_sigmas=True,
    )


def build_tiny_pipeline(preset: Preset, folder: Path) -> None:
    """Write ``preset``'s tiny SVD pipeline to ``folder``."""
    import torch
    from diffusers import AutoencoderKLTemporalDecoder, StableVideoDiffusionPipeline
    from transformers import CLIPImageProcessor, CLIPVisionConfig, CLIPVisionModelWithProjection

    from reelgen.core.backends import tiny

    torch.manual_seed(0)
    unet = _unet()
    torch.manual_seed(0)
    vae = AutoencoderKLTemporalDecoder(
        block_out_channels=[32, 32, 32],
        in_channels=3,
        out_channels=3,
        down_block_types=["DownEncoderBlock2D"] * 3,
        latent_channels=4,
        layers_per_block=1,
    )
    torch.manual_seed(0)
    # The pipeline resizes the image to 224x224 for CLIP whatever the config says; 32px patches keep it cheap.
    vision = CLIPVisionConfig(
        hidden_size=16,
        projection_dim=16,
        num_hidden_layers=2,
        num_attention_heads=2,
        image_size=224,
        intermediate_size=37,
        patch_size=32,
    )
    pipe = StableVideoDiffusionPipeline(
        vae=vae,
        image_encoder=CLIPVisionModelWithProjection(vision).eval(),
        unet=unet,
        scheduler=_scheduler(),
        feature_extractor=CLIPImageProcessor(crop_size=224, size=224),
    )
    tiny.save_pipeline(pipe, folder)
