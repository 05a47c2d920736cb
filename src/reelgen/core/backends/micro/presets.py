"""reelgen-micro as data: its one preset (weights shipped in the package), size rules, options, memory model."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.family import FamilySpec, Preset
from reelgen.core.spec.memory import GIB
from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.core.spec.rules import MAX_FLOW_SHIFT, SizeRules

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


#: Linear map from reelgen-micro's 16 normalised latent channels to RGB in [-1, 1], and its bias, fitted
#: by least squares on the shipped VAE's latents of 48 still clips of coloured shapes (mean absolute
#: error 12/255 against the clips at latent resolution). Live previews use it, so they show the
#: clip's own colours. Rows are channels; columns R, G, B.
LATENT_RGB_FACTORS: list[list[float]] = [
    [-0.5256, 0.5981, 1.3087],
    [1.0689, -0.3044, -1.9694],
    [0.9186, -1.9599, -0.0814],
    [0.3257, 1.9782, 2.7170],
    [0.0954, -0.8295, -0.0515],
    [-0.0523, 0.4236, -0.7550],
    [-0.0532, 0.0514, -0.1997],
    [-0.3832, -0.1772, 0.3283],
    [0.0929, 0.2571, -1.2219],
    [0.4730, -0.8969, -2.4488],
    [-0.5390, -0.2658, -1.4009],
    [-1.0844, 0.9627, 0.2652],
    [-0.2629, 1.6317, 0.7270],
    [0.3773, -0.1697, -1.5146],
    [0.0989, -0.5562, 1.6875],
    [0.1654, 0.5257, 1.0807],
]
LATENT_RGB_BIAS: tuple[float, float, float] = (-0.2534, -0.1969, -0.3201)


class MicroOptions(BaseModel):
    """Options of reelgen-micro."""

    model_config = ConfigDict(extra="forbid")

    flow_shift: float | None = Field(
        default=None, gt=0, le=MAX_FLOW_SHIFT, description="sampler flow shift (shipped: 2.0)"
    )


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
            f"end_image: {preset.name} animates from a start image and cannot pin a last frame; leave it "
            "out, or use a first+last frame model (wan-i2v-480p, wan-flf2v, ltx-2b)",
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
