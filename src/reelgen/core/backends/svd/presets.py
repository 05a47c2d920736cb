"""Stable Video Diffusion as data: presets, size rules, motion options and the memory model of its UNet."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from reelgen.core.spec.family import FamilySpec, Preset
from reelgen.core.spec.memory import GIB, working_set_gib
from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.core.spec.rules import SizeRules


class SVDOptions(BaseModel):
    """Conditioning knobs of Stable Video Diffusion."""

    model_config = ConfigDict(extra="forbid")

    motion_bucket_id: int = Field(default=127, ge=0, le=255, description="how much motion: higher moves more")
    noise_aug_strength: float = Field(
        default=0.02,
        ge=0.0,
        le=1.0,
        description="noise added to the start image: higher strays further from it",
    )
    decode_chunk_size: int = Field(
        default=8, ge=1, description="frames the VAE decodes at once: lower uses less memory"
    )
    min_guidance: float = Field(
        default=1.0, ge=0.0, description="guidance on the first frame; it ramps up to `guidance` on the last"
    )


# At least 2 frames: its temporal layers meet one frame with a tensor size error (a traceback).
RULES = SizeRules(
    "Stable Video Diffusion: sides multiples of 8", multiple=8, min_side=64, max_side=1280, min_frames=2
)
RULES_TINY = SizeRules("svd-tiny: sides multiples of 8", multiple=8, max_side=256, min_frames=2)


def _preset(name: str, repo: str | None, description: str, **kw: Any) -> Preset:
    defaults: dict[str, Any] = dict(
        width=1024,
        height=576,
        fps=7.0,
        steps=25,
        guidance=3.0,
        dtype="float16",
        parts_gib={"unet": 2.8, "image_encoder": 1.2, "vae": 0.2},
    )
    return Preset(
        name=name,
        family="svd",
        description=description,
        repo_id=repo,
        tasks=frozenset({Task.I2V}),
        **defaults | kw,
    )


PRESETS = (
    _preset(
        "svd",
        "stabilityai/stable-video-diffusion-img2vid",
        "Stable Video Diffusion img2vid: 14 frames at 1024x576 from a start image",
        num_frames=14,
    ),
    _preset(
        "svd-xt",
        "stabilityai/stable-video-diffusion-img2vid-xt",
        "Stable Video Diffusion img2vid-xt: 25 frames at 1024x576 from a start image",
        num_frames=25,
    ),
    _preset(
        "svd-tiny",
        None,
        "tiny random Stable Video Diffusion for tests and demos (no download)",
        width=32,
        height=32,
        num_frames=8,
        steps=2,
        dtype="bfloat16",
        parts_gib={"unet": 0.001, "image_encoder": 0.001, "vae": 0.001},
        tiny=True,
        rules=RULES_TINY,
    ),
)


def working_gib(preset: Preset, request: ResolvedRequest) -> float:
    """Activation peak: the UNet over every latent frame (CFG doubles the batch), or the VAE decode.

    The UNet's full-resolution stage holds 320 channels per latent pixel
    (1/8 of the image side); the temporal VAE decodes ``decode_chunk_size``
    frames at once; like Stable Diffusion's VAE (measured with AnimateDiff) its
    upsampler puts out 256 channels at full resolution.
    """
    width, height, frames = request.width, request.height, request.num_frames
    chunk = min(request.options_as(SVDOptions).decode_chunk_size, frames)
    unet = frames * (height // 8) * (width // 8) * 320 * 2 * 2 * 20 / GIB
    vae_decode = chunk * width * height * 256 * 2 * 4 / GIB
    return working_set_gib(width, height, frames, unet, vae_decode)


SPEC = FamilySpec(
    family="svd",
    label="Stable Video Diffusion",
    presets=PRESETS,
    rules=RULES,
    runner="reelgen.core.backends.svd.runner:SVDRunner",
    tiny_builder="reelgen.core.backends.svd.tiny:build_tiny_pipeline",
    options=SVDOptions,
    supports_lora=False,  # the pipeline has no LoRA loader
    working_gib=working_gib,
)
