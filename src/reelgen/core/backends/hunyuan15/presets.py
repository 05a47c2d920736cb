"""HunyuanVideo 1.5 as data: presets, size rules, options, the i2v size check and the memory model."""

from __future__ import annotations

from typing import Any

from reelgen.core.backends.hunyuan.presets import (
    FlowShiftOptions,
    check_start_image_only,
    transformer_working_gib,
)
from reelgen.core.backends.hunyuan15.buckets import check_bucket
from reelgen.core.spec.family import FamilySpec, Preset
from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.core.spec.rules import SizeRules

# Sides: the VAE compresses 16x spatially (patch 1); frames 4k+1 (VAE 4x temporal).
RULES = SizeRules(label="HunyuanVideo 1.5", multiple=16, frame_step=4, frame_offset=1)

#: ``target_size`` of the tiny transformer: i2v buckets of about 64x64 px.
TINY_TARGET_SIZE = 64
#: Pixel side whose square area a checkpoint was trained at (the transformer's ``target_size``):
#: "480p" means about 640x640 pixels of area (848x480 at 16:9), "720p" about 960x960 (1280x720).
#: Keyed by the resolution half of a preset's variant ("480p-i2v").
TARGET_SIZE = {"480p": 640, "720p": 960, "tiny": TINY_TARGET_SIZE}


class Hunyuan15Options(FlowShiftOptions):
    """HunyuanVideo 1.5 knobs beyond the common request."""


#: Resident 16-bit sizes: transformer 8.33B params, Qwen2.5-VL-7B text model 7.07B, ByT5-small
#: glyph encoder 0.22B, VAE 1.26B, SigLIP so400m image encoder 0.43B (i2v).
_PARTS = {"transformer": 15.51, "text_encoder": 13.17, "text_encoder_2": 0.41, "vae": 2.35}
_PARTS_I2V = {**_PARTS, "image_encoder": 0.80}
_TINY_PARTS = {"transformer": 0.001, "text_encoder": 0.001, "text_encoder_2": 0.001, "vae": 0.001}
_REPO = "hunyuanvideo-community/HunyuanVideo-1.5-Diffusers-{}"


def _preset(name: str, variant: str, width: int, height: int, **kw: Any) -> Preset:
    resolution, task = variant.split("-")
    defaults: dict[str, Any] = dict(num_frames=121, fps=24.0, steps=50, guidance=6.0, dims=(2048, 8192))
    return Preset(
        name=name,
        family="hunyuan15",
        variant=variant,
        tasks=frozenset({Task(task)}),
        repo_id=None if resolution == "tiny" else _REPO.format(f"{resolution}_{task}"),
        width=width,
        height=height,
        **{**defaults, **kw},
    )


_TINY: dict[str, Any] = dict(num_frames=9, steps=2, tiny=True, dims=(16, 32))

PRESETS = (
    _preset(
        "hunyuan15-480p",
        "480p-t2v",
        848,
        480,
        parts_gib=_PARTS,
        description="HunyuanVideo 1.5 (8.3B) text-to-video at 480p",
    ),
    _preset(
        "hunyuan15-480p-i2v",
        "480p-i2v",
        848,
        480,
        parts_gib=_PARTS_I2V,
        description="HunyuanVideo 1.5 (8.3B) image-to-video at 480p (sizes from its aspect buckets)",
    ),
    _preset(
        "hunyuan15-720p",
        "720p-t2v",
        1280,
        720,
        parts_gib=_PARTS,
        description="HunyuanVideo 1.5 (8.3B) text-to-video at 720p",
    ),
    _preset(
        "hunyuan15-720p-i2v",
        "720p-i2v",
        1280,
        720,
        parts_gib=_PARTS_I2V,
        description="HunyuanVideo 1.5 (8.3B) image-to-video at 720p (sizes from its aspect buckets)",
    ),
    _preset(
        "hunyuan15-tiny",
        "tiny-t2v",
        64,
        64,
        parts_gib=_TINY_PARTS,
        description="HunyuanVideo 1.5 classes with tiny random weights, for tests and CPU demos",
        **_TINY,
    ),
    _preset(
        "hunyuan15-i2v-tiny",
        "tiny-i2v",
        64,
        64,
        parts_gib={**_TINY_PARTS, "image_encoder": 0.001},
        description="HunyuanVideo 1.5 image-to-video classes with tiny random weights",
        **_TINY,
    ),
)


def target_size(preset: Preset) -> int:
    return TARGET_SIZE[preset.variant.split("-")[0]]


def check(preset: Preset, request: ResolvedRequest) -> None:
    """No last frame; an i2v size must be a bucket, since the pipeline resizes the image to one."""
    check_start_image_only(preset, request)
    if Task.I2V in preset.tasks:
        check_bucket(request.width, request.height, target_size(preset), preset.name)


def working_gib(preset: Preset, request: ResolvedRequest) -> float:
    """Activation peak; about 2000 text, glyph and image tokens join the video tokens."""
    return transformer_working_gib(request, dim=preset.dims[0], text_tokens=2000)


SPEC = FamilySpec(
    family="hunyuan15",
    label="HunyuanVideo 1.5",
    presets=PRESETS,
    rules=RULES,
    runner="reelgen.core.backends.hunyuan15.runner:Hunyuan15Runner",
    tiny_builder="reelgen.core.backends.hunyuan15.tiny:build_tiny_pipeline",
    options=Hunyuan15Options,
    supports_lora=False,  # diffusers has no LoRA loader for these pipelines yet
    working_gib=working_gib,
    check=check,
)
