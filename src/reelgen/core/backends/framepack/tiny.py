"""The tiny FramePack build: the tiny HunyuanVideo base, FramePack's transformer and a SigLIP, seeded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reelgen.core.backends import tiny
from reelgen.core.backends.hunyuan import tiny as hunyuan_tiny
from reelgen.core.spec.family import Preset


def transformer() -> Any:
    """The tiny HunyuanVideo transformer plus FramePack's history embedder and image projection."""
    import torch
    from diffusers import HunyuanVideoFramepackTransformer3DModel

    torch.manual_seed(0)
    return HunyuanVideoFramepackTransformer3DModel(
        **hunyuan_tiny.TRANSFORMER,
        image_condition_type=None,
        has_image_proj=True,
        image_proj_dim=16,
        has_clean_x_embedder=True,
    )


def build_tiny_pipeline(preset: Preset, folder: Path) -> None:
    """HunyuanVideoFramepackPipeline over the tiny HunyuanVideo parts."""
    from diffusers import HunyuanVideoFramepackPipeline

    tokenizer = hunyuan_tiny.llama_tokenizer()
    pipe = HunyuanVideoFramepackPipeline(
        **hunyuan_tiny.hunyuan_base(tokenizer),
        text_encoder=hunyuan_tiny.llama(tokenizer),
        transformer=transformer(),
        **hunyuan_tiny.siglip(),
    )
    tiny.save_pipeline(pipe, folder)
