"""CogVideoX 1.0 / 1.5 as data: presets, size rules, options, request checks and memory model."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from reelgen.core.spec.family import FamilySpec, Preset
from reelgen.core.spec.memory import GIB, working_set_gib
from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.core.spec.rules import SizeRules, check_v2v_steps

T2V_V2V = frozenset({Task.T2V, Task.V2V})
I2V = frozenset({Task.I2V})

#: Resident sizes in GiB; the T5-XXL encoder (4.8B parameters) is shared by every size.
T5_GIB = 8.9
VAE_GIB = 0.4


class CogVideoXOptions(BaseModel):
    """Extra knobs of CogVideoX."""

    model_config = ConfigDict(extra="forbid")

    use_dynamic_cfg: bool = Field(
        default=False,
        description="ramp guidance along a cosine schedule (the official demo's setting for the 5B models)",
    )


# The VAE decodes an odd number of latent frames to 4n+1 frames and an even one to 4n, and the
# pipelines only pad and trim for 1.5's frame pairs: 8k+1 frames is what comes back out as asked.
RULES_1_0 = SizeRules(
    "CogVideoX 1.0: sides multiples of 16, frames 8k+1 up to 49",
    multiple=16,
    max_side=1360,
    frame_step=8,
    frame_offset=1,
    max_frames=49,
)
# CogVideoX-5b-I2V adds learned position embeddings sized for 720x480 latents: no other size runs.
RULES_1_0_I2V = SizeRules(
    "CogVideoX-5b-I2V: learned position embeddings fix the size at 720x480, frames 8k+1 up to 49",
    multiple=16,
    frame_step=8,
    frame_offset=1,
    max_frames=49,
    fixed_sizes=((720, 480),),
)
RULES_1_5 = SizeRules(
    "CogVideoX 1.5: sides multiples of 16 up to 1360, frames 8k+1 up to 161",
    multiple=16,
    max_side=1360,
    frame_step=8,
    frame_offset=1,
    max_frames=161,
)
RULES_1_5_I2V = SizeRules(
    "CogVideoX 1.5 I2V: sides 768..1360, multiples of 16, frames 8k+1 up to 161",
    multiple=16,
    min_side=768,
    max_side=1360,
    frame_step=8,
    frame_offset=1,
    max_frames=161,
)
# The tiny I2V transformer keeps the real model's learned-embedding trap, at 32x32.
RULES_TINY_I2V = SizeRules(
    "cogvideox-i2v-tiny: learned position embeddings fix the size at 32x32, frames 8k+1 up to 49",
    multiple=16,
    frame_step=8,
    frame_offset=1,
    max_frames=49,
    fixed_sizes=((32, 32),),
)

_PARTS_5B = {"transformer": 10.4, "text_encoder": T5_GIB, "vae": VAE_GIB}
_TINY = dict(
    width=32,
    height=32,
    num_frames=9,
    steps=2,
    dims=(32, 128),
    parts_gib={"transformer": 0.001, "text_encoder": 0.001, "vae": 0.001},
    tiny=True,
)
# The 1.5 models: 1360x768, 5 s at 16 fps.
_V15 = dict(width=1360, height=768, num_frames=81, fps=16.0, variant="1.5", parts_gib=_PARTS_5B)


def _preset(name: str, repo: str | None, tasks: frozenset[Task], **kw: Any) -> Preset:
    # 1.0 defaults: 720x480, 6 s at 8 fps; the 5B transformers are 3072 wide (48 heads x 64).
    defaults: dict[str, Any] = dict(
        width=720,
        height=480,
        num_frames=49,
        fps=8.0,
        steps=50,
        guidance=6.0,
        variant="1.0",
        dims=(3072, 12288),
    )
    return Preset(name=name, family="cogvideox", repo_id=repo, tasks=tasks, **{**defaults, **kw})


PRESETS = (
    _preset(
        "cogvideox-2b",
        "THUDM/CogVideoX-2b",
        T2V_V2V,
        description="CogVideoX 2B: light 720x480 text/video-to-video, 6 s at 8 fps",
        parts_gib={"transformer": 3.2, "text_encoder": T5_GIB, "vae": VAE_GIB},
        dims=(1920, 7680),  # 30 heads x 64
        dtype="float16",
    ),
    _preset(
        "cogvideox-5b",
        "THUDM/CogVideoX-5b",
        T2V_V2V,
        description="CogVideoX 5B: 720x480 text/video-to-video, 6 s at 8 fps",
        parts_gib=_PARTS_5B,
    ),
    _preset(
        "cogvideox-5b-i2v",
        "THUDM/CogVideoX-5b-I2V",
        I2V,
        description="CogVideoX 5B image-to-video; fixed at 720x480",
        parts_gib=_PARTS_5B,
        rules=RULES_1_0_I2V,
    ),
    _preset(
        # No v2v: 1.5 pairs latent frames, and diffusers' V2V pipeline then decodes more frames
        # than it was given (8k+5 in, 8k+8 out).
        "cogvideox1.5-5b",
        "THUDM/CogVideoX1.5-5B",
        frozenset({Task.T2V}),
        description="CogVideoX 1.5 5B: 1360x768 text-to-video, 5 s at 16 fps",
        rules=RULES_1_5,
        **_V15,
    ),
    _preset(
        "cogvideox1.5-5b-i2v",
        "THUDM/CogVideoX1.5-5B-I2V",
        I2V,
        description="CogVideoX 1.5 5B image-to-video, sides 768..1360, 5 s at 16 fps",
        rules=RULES_1_5_I2V,
        **_V15,
    ),
    _preset(
        "cogvideox-tiny",
        None,
        T2V_V2V,
        description="tiny random CogVideoX for tests and demos (no download)",
        **_TINY,
    ),
    _preset(
        "cogvideox-i2v-tiny",
        None,
        I2V,
        description="tiny random CogVideoX image-to-video (learned embeddings: 32x32 only)",
        rules=RULES_TINY_I2V,
        **_TINY,
    ),
)


def check(preset: Preset, request: ResolvedRequest) -> None:
    """Video-to-video runs the last ``source_strength`` share of the steps; at least one must be left."""
    check_v2v_steps(request)


def working_gib(preset: Preset, request: ResolvedRequest) -> float:
    """Activation peak: the transformer over all tokens at once, or the VAE decode.

    Tokens are latent frames x (H/16) x (W/16) plus 226 text tokens; full
    attention runs through SDPA, so hidden states and the FFN dominate. The
    VAE decodes two latent frames (8 video frames) at a time with 128
    full-resolution channels; the decoded clip is held in float32.
    """
    width, height, frames = request.width, request.height, request.num_frames
    tokens = ((frames - 1) // 4 + 1) * (height // 16) * (width // 16) + 226
    transformer = tokens * preset.dims[0] * 10 * 2 / GIB  # q/k/v/out, residual and a 4x FFN, 16-bit
    vae_decode = width * height * 8 * 128 * 2 * 4 / GIB
    return working_set_gib(width, height, frames, transformer, vae_decode)


SPEC = FamilySpec(
    family="cogvideox",
    label="CogVideoX",
    presets=PRESETS,
    rules=RULES_1_0,
    runner="reelgen.core.backends.cogvideox.runner:CogVideoXRunner",
    tiny_builder="reelgen.core.backends.cogvideox.tiny:build_tiny_pipeline",
    options=CogVideoXOptions,
    working_gib=working_gib,
    check=check,
)
