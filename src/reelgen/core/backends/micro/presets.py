"""reelgen-micro as data: its one preset (weights shipped in the package), size rules, options, memory model."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.family import FamilySpec, Preset
from reelgen.core.spec.memory import GIB
from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.core.spec.rules import SizeRules

#: 8x VAE x 2x2 patches: sides are multiples of 16; the 4x temporal VAE wants 4k+1 frames.
RULES = SizeRules(
    label="reelgen-micro",
    multiple=16,
    min_side=32,
    max_side=512,
    frame_step=4,
    frame_offset=1,
    min_frames=5,
    max_frames=129,
)


class MicroOptions(BaseModel):
    """Options of reelgen-micro."""

    model_config = ConfigDict(extra="forbid")

    flow_shift: float | None = Field(default=None, gt=0, description="sampler flow shift (shipped: 2.0)")


PRESET = Preset(
    name="reelgen-micro",
    family="micro",
    # 13,580,140 parameters in the shipped safetensors: transformer 8,047,936, VAE 4,709,420,
    # text encoder 822,784 (stored float16, run in float32).
    description="reelgen's own 13.6M-parameter Wan-style model of coloured shapes (ships inside the package)",
    repo_id=None,
    tasks=frozenset({Task.T2V, Task.I2V}),
    width=128,
    height=128,
    num_frames=25,
    fps=12.0,
    steps=20,
    guidance=5.0,
    parts_gib={"transformer": 0.03, "text_encoder": 0.003, "vae": 0.018},  # float32
    dtype="float32",
    rules=RULES,
    bundled="assets/micro",
)


def working_gib(preset: Preset, request: ResolvedRequest) -> float:
    """The decode of one latent frame at full size dominates; the model itself is tens of MB."""
    pixels = request.width * request.height
    clip = pixels * request.num_frames * 3 * 4 * 2  # decoded float32 clip + its postprocessed copy
    return round(0.25 + (pixels * 64 * 6 * 4 + clip) / GIB, 3)


def check(preset: Preset, request: ResolvedRequest) -> None:
    """reelgen-micro pins a start image only (Wan 2.2 TI2V style); a last frame would be ignored."""
    if request.end_image:
        raise InvalidRequest(
            f"{preset.name} animates from a start image and cannot pin a last frame; leave end_image "
            "unset, or use a first+last frame model (wan-i2v-480p, wan-flf2v, ltx-2b)",
            param="end_image",
        )


SPEC = FamilySpec(
    family="micro",
    label="reelgen-micro",
    presets=(PRESET,),
    rules=RULES,
    runner="reelgen.core.backends.micro.runner:MicroRunner",
    tiny_builder="reelgen.core.backends.micro.build:build_tiny",
    options=MicroOptions,
    working_gib=working_gib,
    check=check,
)
