"""Tiny SkyReels-V2 pipelines built without downloads: real classes, small configs, seeded weights."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reelgen.core.backends.skyreels import presets as sp
from reelgen.core.spec.family import Preset


def _transformer(image_to_video: bool) -> Any:
    from diffusers import SkyReelsV2Transformer3DModel

    from reelgen.core.backends.tiny import TEXT_DIM

    # I2V adds 4 mask + 16 image-latent channels and a CLIP image projection of width 4.
    return SkyReelsV2Transformer3DModel(
        patch_size=(1, 2, 2), num_attention_heads=2, attention_head_dim=12, in_channels=36 if image_to_video else 16,
        out_channels=16, text_dim=TEXT_DIM, freq_dim=256, ffn_dim=32, num_layers=2, cross_attn_norm=True,
        qk_norm="rms_norm_across_heads", rope_max_seq_len=32, image_dim=4 if image_to_video else None,
    )  # fmt: skip


def _clip() -> dict[str, Any]:
    """A CLIP vision tower of width 4 and its processor, for the plain I2V pipeline."""
    import torch
    from transformers import CLIPImageProcessor, CLIPVisionConfig, CLIPVisionModelWithProjection

    torch.manual_seed(0)
    config = CLIPVisionConfig(
        hidden_size=4, projection_dim=4, num_hidden_layers=2, num_attention_heads=2, image_size=32,
        intermediate_size=16, patch_size=1,
    )  # fmt: skip
    return {
        "image_encoder": CLIPVisionModelWithProjection(config).eval(),
        "image_processor": CLIPImageProcessor(crop_size=32, size=32),
    }


def build_tiny_pipeline(preset: Preset, folder: Path) -> None:
    """Write ``preset``'s tiny pipeline (diffusion forcing or plain image to video) to ``folder``."""
    import diffusers
    import torch
    from diffusers import UniPCMultistepScheduler

    from reelgen.core.backends import tiny
    from reelgen.core.backends.skyreels.runner import PIPELINES
    from reelgen.core.backends.wan.tiny import tiny_vae

    i2v = preset.variant == sp.I2V
    tokenizer = tiny.t5_tokenizer()
    vae = tiny_vae()  # SkyReels-V2 uses Wan 2.1's VAE
    torch.manual_seed(0)
    parts: dict[str, Any] = dict(
        transformer=_transformer(i2v), vae=vae, tokenizer=tokenizer, text_encoder=tiny.t5_encoder(len(tokenizer), umt5=True),
        scheduler=UniPCMultistepScheduler(flow_shift=8.0, use_flow_sigmas=True, prediction_type="flow_prediction"),
    )  # fmt: skip
    if i2v:
        parts |= _clip()
    cls = getattr(diffusers, next(iter(PIPELINES[preset.variant].values())))
    tiny.save_pipeline(cls(**parts), folder)
