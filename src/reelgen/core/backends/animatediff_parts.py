"""AnimateDiff's parts from elsewhere: camera-motion LoRA repos, Hugging Face cache lookups, the tiny SD1.5 and adapter."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, get_args

from reelgen.core import settings
from reelgen.core.errors import ModelNotAvailable

CameraMotion = Literal[
    "zoom-in",
    "zoom-out",
    "pan-left",
    "pan-right",
    "tilt-up",
    "tilt-down",
    "rolling-clockwise",
    "rolling-anticlockwise",
]
#: Camera moves as guoyww's motion LoRAs (trained with the v2 motion module, v1-5-2).
CAMERA_MOTIONS = {name: f"guoyww/animatediff-motion-lora-{name}" for name in get_args(CameraMotion)}


def cached_repo(repo: str, what: str, param: str = "model") -> Path:
    """``repo``'s snapshot in the Hugging Face cache, or an error that says how to fetch it."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        return Path(snapshot_download(repo, local_files_only=True, cache_dir=settings.hf_cache_dir()))
    except (LocalEntryNotFoundError, FileNotFoundError, OSError, ValueError):
        raise ModelNotAvailable(
            f"{what} needs {repo}, which is not in the Hugging Face cache at "
            f"{settings.hf_cache_dir()}. Fetch it with `hf download {repo}` "
            "(`reelgen pull` fetches a preset's base and motion adapter together)",
            param=param,
        ) from None


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
