"""HunyuanVideo as data: presets, size rules, options, request checks and the memory model its kin share."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.family import FamilySpec, Preset
from reelgen.core.spec.memory import GIB, working_set_gib
from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.core.spec.rules import MAX_FLOW_SHIFT, SizeRules

# Sides: VAE 8x spatial times the transformer's 2x2 patch; frames 4k+1 (VAE 4x temporal).
RULES = SizeRules(label="HunyuanVideo", multiple=16, frame_step=4, frame_offset=1)

# Preset variants: which pipeline class a checkpoint loads as.
T2V, I2V = "t2v", "i2v"


class TrueCfgOptions(BaseModel):
    """Real classifier-free guidance for the guidance-distilled HunyuanVideo models (and FramePack)."""

    model_config = ConfigDict(extra="forbid")

    true_cfg_scale: float = Field(
        default=1.0,
        ge=1.0,
        le=20.0,
        description="Real classifier-free guidance against the negative prompt when above 1 (two "
        "transformer passes per step). The model is guidance-distilled: `guidance` is embedded "
        "in it, so 1.0 (off) is the published default.",
    )


class FlowShiftOptions(BaseModel):
    """The flow scheduler's timestep shift (HunyuanVideo 1.5 takes this alone)."""

    model_config = ConfigDict(extra="forbid")

    flow_shift: float | None = Field(
        default=None,
        gt=0.0,
        le=MAX_FLOW_SHIFT,
        description="Timestep shift of the flow scheduler; None keeps the checkpoint's (HunyuanVideo: "
        "7.0). Lower values (e.g. 5) suit short or small clips.",
    )


class HunyuanOptions(TrueCfgOptions, FlowShiftOptions):
    """HunyuanVideo knobs beyond the common request."""


#: Resident 16-bit sizes: transformer 12.8B params, LLaMA-3-8B text encoder 7.5B (LLaVA with its
#: CLIP vision tower and LM head 8.3B), CLIP-L text encoder 123M, causal 3D VAE 246M.
_PARTS = {"transformer": 23.88, "text_encoder": 13.98, "text_encoder_2": 0.23, "vae": 0.46}
_TINY_PARTS = {"transformer": 0.001, "text_encoder": 0.001, "text_encoder_2": 0.001, "vae": 0.001}
# 1280x720, 129 frames, 50 steps: both pipelines' ``__call__`` defaults (diffusers 0.42.1); 24 fps native.
# guidance 6.0 is the embedded (distilled) CFG: HunyuanVideoPipeline's default, and for the 16-channel
# HunyuanVideo-I2V the value of diffusers' docstring example and Tencent's --embedded-cfg-scale. The I2V
# pipeline's own default, 1.0, is for HunyuanVideo-I2V-33ch, which is not listed here.
_REAL: dict[str, Any] = dict(
    width=1280, height=720, num_frames=129, fps=24.0, steps=50, guidance=6.0, dims=(3072, 12288)
)
_TINY: dict[str, Any] = dict(
    width=64, height=64, num_frames=9, fps=24.0, steps=2, guidance=6.0, dims=(24, 96), tiny=True
)


def _preset(name: str, repo: str | None, variant: str, **kw: Any) -> Preset:
    return Preset(
        name=name, family="hunyuan", repo_id=repo, variant=variant, tasks=frozenset({Task(variant)}), **kw
    )


PRESETS = (
    _preset(
        "hunyuan",
        "hunyuanvideo-community/HunyuanVideo",
        T2V,
        description="HunyuanVideo 13B text-to-video at 720p (guidance-distilled, CFG 6 embedded)",
        parts_gib=_PARTS,
        **_REAL,
    ),
    _preset(
        "hunyuan-i2v",
        "hunyuanvideo-community/HunyuanVideo-I2V",
        I2V,
        description="HunyuanVideo-I2V 13B: animates a start image (token-replace conditioning, "
        "LLaVA text+image encoder)",
        parts_gib={**_PARTS, "text_encoder": 15.51},
        **_REAL,
    ),
    _preset(
        "hunyuan-tiny",
        None,
        T2V,
        description="HunyuanVideo classes with tiny random weights, for tests and CPU demos",
        parts_gib=_TINY_PARTS,
        **_TINY,
    ),
    _preset(
        "hunyuan-i2v-tiny",
        None,
        I2V,
        description="HunyuanVideo-I2V classes (tiny LLaVA encoder) with tiny random weights",
        parts_gib=_TINY_PARTS,
        **_TINY,
    ),
)


# ---- checks and memory, shared with HunyuanVideo 1.5 and FramePack --------------------------------


def check_start_image_only(preset: Preset, request: ResolvedRequest) -> None:
    """HunyuanVideo and 1.5 animate a start image but cannot pin a last frame (FramePack can).

    A text-to-video model's end image is left to ``resolve``, which names every model that pins one
    (this said a text-to-video model "animates a start image").
    """
    if request.end_image and Task.I2V in preset.tasks:
        raise InvalidRequest(
            f"end_image: {preset.name} animates a start image only and cannot pin a last frame; leave it "
            "out, or use a first+last frame model (framepack, wan-i2v-480p, ltx-2b)",
            param="end_image",
        )


def transformer_working_gib(
    request: ResolvedRequest, dim: int, latent_frames: int | None = None, text_tokens: int = 512
) -> float:
    """Activation peak: transformer hidden states at the token count, tiled VAE decode, the clip.

    Tokens are latent frames x (H/16) x (W/16). A block holds a few copies of the
    hidden states (q, k, v, attention out, residual) plus the 4x MLP; SDPA keeps
    no score matrix. The VAE always decodes in tiles on a GPU (the runners turn
    tiling on), so its peak is a fixed tile's worth; the decoded clip is held in
    float32 twice.
    """
    width, height, frames = request.width, request.height, request.num_frames
    latent_frames = latent_frames or (frames - 1) // 4 + 1
    tokens = latent_frames * (height // 16) * (width // 16) + text_tokens
    transformer = tokens * dim * (5 + 4) * 2 / GIB
    vae_tile = 256 * 256 * 128 * 17 * 2 * 6 / GIB  # 256 px tiles of 17 frames, 128 channels, ~6 live
    return working_set_gib(width, height, frames, transformer, vae_tile)


def working_gib(preset: Preset, request: ResolvedRequest) -> float:
    return transformer_working_gib(request, dim=preset.dims[0])


SPEC = FamilySpec(
    family="hunyuan",
    label="HunyuanVideo",
    presets=PRESETS,
    rules=RULES,
    runner="reelgen.core.backends.hunyuan.runner:HunyuanRunner",
    tiny_builder="reelgen.core.backends.hunyuan.tiny:build_tiny_pipeline",
    options=HunyuanOptions,
    working_gib=working_gib,
    check=check_start_image_only,
)
