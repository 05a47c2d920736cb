"""Wan 2.1 / 2.2 as data: presets, size rules, options, request checks, memory model, published configs."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from reelgen.core.backends.wan import vace
from reelgen.core.backends.wan.tiles import VAE_TILE, VAE_TILE_STRIDE
from reelgen.core.backends.wan.vace import VACE, VACE_CONTEXT_FRAMES, VACE_TASKS
from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.family import FamilySpec, Preset
from reelgen.core.spec.memory import GIB, working_set_gib
from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.core.spec.rules import MAX_FLOW_SHIFT, SizeRules, check_v2v_steps

# Width/height: VAE 8x spatial times the transformer's 2x2 patch; frames 4k+1 (VAE 4x temporal).
RULES = SizeRules(label="Wan", multiple=16, frame_step=4, frame_offset=1)
# The 1.3B model was trained at 480p only; longer sides blur and repeat.
RULES_1_3B = SizeRules(
    label="Wan 2.1 1.3B (480p only)", multiple=16, max_side=832, frame_step=4, frame_offset=1
)
# TI2V-5B's VAE compresses 16x spatially, so sides are multiples of 32.
RULES_TI2V = SizeRules(label="Wan 2.2 TI2V-5B", multiple=32, frame_step=4, frame_offset=1)

# The tiny transformers' rotary table holds 32 positions a side (rope_max_seq_len=32 in tiny.py): past
# 32 patches (512 px) or 32 latent frames (125 frames) diffusers failed mid-run with a shape error.
RULES_TINY = replace(RULES, max_side=512, max_frames=125)

# Preset variants: which pipeline class a checkpoint loads as, and what it can be asked for.
T2V, I2V, FLF2V, A14B, A14B_I2V, TI2V = "t2v", "i2v", "flf2v", "a14b", "a14b-i2v", "ti2v"
#: Variants whose checkpoint is a WanImageToVideoPipeline (start image required).
IMAGE_VARIANTS = frozenset({I2V, FLF2V, A14B_I2V})
#: Variants with two experts (transformer for high noise, transformer_2 for low noise).
TWO_EXPERT_VARIANTS = frozenset({A14B, A14B_I2V})
#: Variants that can pin a last frame too. Wan 2.1 I2V pins it through the latent condition only
#: (its CLIP branch sees the start image); FLF2V's CLIP branch embeds both frames, so it needs both.
END_IMAGE_VARIANTS = frozenset({I2V, FLF2V, A14B_I2V, VACE})
NEEDS_END_IMAGE_VARIANTS = frozenset({FLF2V})


class WanOptions(BaseModel):
    """Wan-specific request options."""

    model_config = ConfigDict(extra="forbid")

    boundary_ratio: float | None = Field(
        default=None,
        gt=0.0,
        lt=1.0,
        description="Wan 2.2 A14B: share of the noise schedule (from the noisy end) run by the "
        "high-noise expert before switching to the low-noise one; None keeps the checkpoint's.",
    )
    flow_shift: float | None = Field(
        default=None,
        gt=0.0,
        le=MAX_FLOW_SHIFT,
        description="Timestep shift of the flow scheduler; None keeps the checkpoint's. "
        "Wan suggests 3.0 at 480p and 5.0 at 720p.",
    )
    extend_context_frames: int | None = Field(
        default=None,
        ge=4,
        description="Wan VACE extend: frames from the end of the source clip the model sees before the "
        f"new ones (a multiple of 4); None: {VACE_CONTEXT_FRAMES}, or fewer if the clip is shorter.",
    )


# ---- presets ---------------------------------------------------------------------------------------

# Resident sizes in GiB (transformers bf16; VAE and CLIP image encoder float32 as Wan recommends),
# from parameter counts: 1.3B 1.42e9, T2V-14B 14.29e9, I2V-14B 16.39e9, TI2V-5B 5.0e9,
# UMT5-XXL encoder 5.68e9, Wan 2.1 VAE 0.127e9, Wan 2.2 VAE 0.705e9, CLIP ViT-H/14 0.63e9;
# VACE adds 15 blocks of 1536 (0.73e9) to the 1.3B and 8 blocks of 5120 (3.0e9) to the 14B.
_TE, _VAE21, _VAE22, _CLIP = 10.6, 0.48, 2.63, 2.35
_TINY_PARTS = {"transformer": 0.001, "text_encoder": 0.001, "vae": 0.001}
_TINY_CLIP = dict(width=64, height=64, num_frames=9, fps=8.0, steps=2)


def _preset(name: str, repo: str | None, variant: str, tasks: set[Task], **kw: Any) -> Preset:
    # 14B models are 5120 wide with a 13824 FFN; 1.3B, 5B and tiny presets say their own.
    kw.setdefault("dims", (24, 32) if kw.get("tiny") else (5120, 13824))
    kw.setdefault("rules", RULES_TINY if kw.get("tiny") else None)
    return Preset(
        name=name,
        family="wan",
        repo_id=repo,
        variant=variant,
        tasks=frozenset(tasks),
        end_image=variant in END_IMAGE_VARIANTS,
        **kw,
    )


_W21 = dict(num_frames=81, fps=16.0, steps=50, guidance=5.0)


def _vace(name: str, repo: str | None, what: str, **kw: Any) -> Preset:
    text = f"Wan 2.1 VACE {what}: text, first/last frame, keyframes or extend, up to 3 reference images"
    return _preset(name, repo, VACE, set(VACE_TASKS), description=text, reference_images=3, **{**_W21, **kw})


_W22 = dict(num_frames=81, fps=16.0, steps=40)

PRESETS: tuple[Preset, ...] = (
    _preset(
        "wan-1.3b",
        "Wan-AI/Wan2.1-T2V-1.3B-Diffusers",
        T2V,
        {Task.T2V, Task.V2V},
        description="Wan 2.1 text-to-video 1.3B; 480p only, fits 8 GB cards with offload",
        width=832,
        height=480,
        rules=RULES_1_3B,
        dims=(1536, 8960),
        **_W21,
        parts_gib={"transformer": 2.64, "text_encoder": _TE, "vae": _VAE21},
    ),
    _preset(
        "wan-14b",
        "Wan-AI/Wan2.1-T2V-14B-Diffusers",
        T2V,
        {Task.T2V, Task.V2V},
        description="Wan 2.1 text-to-video 14B, 480p and 720p",
        width=1280,
        height=720,
        **_W21,
        parts_gib={"transformer": 26.6, "text_encoder": _TE, "vae": _VAE21},
    ),
    _preset(
        "wan-i2v-480p",
        "Wan-AI/Wan2.1-I2V-14B-480P-Diffusers",
        I2V,
        {Task.I2V},
        description="Wan 2.1 image-to-video 14B at 480p (start image, optional end image)",
        width=832,
        height=480,
        **_W21,
        parts_gib={"transformer": 30.5, "text_encoder": _TE, "vae": _VAE21, "image_encoder": _CLIP},
    ),
    _preset(
        "wan-i2v-720p",
        "Wan-AI/Wan2.1-I2V-14B-720P-Diffusers",
        I2V,
        {Task.I2V},
        description="Wan 2.1 image-to-video 14B at 720p (start image, optional end image)",
        width=1280,
        height=720,
        **_W21,
        parts_gib={"transformer": 30.5, "text_encoder": _TE, "vae": _VAE21, "image_encoder": _CLIP},
    ),
    _preset(
        "wan-flf2v",
        "Wan-AI/Wan2.1-FLF2V-14B-720P-diffusers",
        FLF2V,
        {Task.I2V},
        description="Wan 2.1 first+last frame to video 14B at 720p (start and end image)",
        width=1280,
        height=720,
        **_W21,
        parts_gib={"transformer": 30.5, "text_encoder": _TE, "vae": _VAE21, "image_encoder": _CLIP},
    ),
    _preset(
        "wan22-a14b",
        "Wan-AI/Wan2.2-T2V-A14B-Diffusers",
        A14B,
        {Task.T2V},
        description="Wan 2.2 text-to-video A14B: high-noise and low-noise 14B experts",
        width=1280,
        height=720,
        **_W22,
        guidance=4.0,
        guidance_2=3.0,
        options={"boundary_ratio": 0.875},
        parts_gib={"transformer": 26.6, "transformer_2": 26.6, "text_encoder": _TE, "vae": _VAE21},
    ),
    _preset(
        "wan22-i2v-a14b",
        "Wan-AI/Wan2.2-I2V-A14B-Diffusers",
        A14B_I2V,
        {Task.I2V},
        description="Wan 2.2 image-to-video A14B (two experts; optional end image)",
        width=1280,
        height=720,
        **_W22,
        guidance=3.5,
        guidance_2=3.5,
        options={"boundary_ratio": 0.9},
        parts_gib={"transformer": 26.6, "transformer_2": 26.6, "text_encoder": _TE, "vae": _VAE21},
    ),
    _preset(
        "wan22-ti2v-5b",
        "Wan-AI/Wan2.2-TI2V-5B-Diffusers",
        TI2V,
        {Task.T2V, Task.I2V},
        description="Wan 2.2 text/image-to-video 5B at 720p (1280x704), 24 fps",
        width=1280,
        height=704,
        num_frames=121,
        fps=24.0,
        steps=50,
        guidance=5.0,
        rules=RULES_TI2V,
        dims=(3072, 14336),
        parts_gib={"transformer": 9.31, "text_encoder": _TE, "vae": _VAE22},
    ),
    _vace(
        "wan-vace-1.3b",
        "Wan-AI/Wan2.1-VACE-1.3B-diffusers",
        "1.3B at 480p",
        width=832,
        height=480,
        rules=RULES_1_3B,
        dims=(1536, 8960),
        parts_gib={"transformer": 4.0, "text_encoder": _TE, "vae": _VAE21},
    ),
    _vace(
        "wan-vace-14b",
        "Wan-AI/Wan2.1-VACE-14B-diffusers",
        "14B, 480p and 720p",
        width=1280,
        height=720,
        parts_gib={"transformer": 32.2, "text_encoder": _TE, "vae": _VAE21},
    ),
    _preset(
        "wan-tiny",
        None,
        T2V,
        {Task.T2V, Task.V2V},
        tiny=True,
        description="Tiny random Wan 2.1 text-to-video for tests and demos (no download)",
        **_TINY_CLIP,
        guidance=5.0,
        parts_gib=_TINY_PARTS,
    ),
    _preset(
        "wan-i2v-tiny",
        None,
        I2V,
        {Task.I2V},
        tiny=True,
        description="Tiny random Wan 2.1 image-to-video (first and optional last frame)",
        **_TINY_CLIP,
        guidance=5.0,
        parts_gib={**_TINY_PARTS, "image_encoder": 0.001},
    ),
    _vace(
        "wan-vace-tiny",
        None,
        "tiny random (tests and demos, no download)",
        tiny=True,
        **_TINY_CLIP,
        parts_gib=_TINY_PARTS,
    ),
    _preset(
        "wan22-tiny",
        None,
        A14B,
        {Task.T2V},
        tiny=True,
        description="Tiny random Wan 2.2 with two experts (boundary_ratio, guidance_2)",
        **_TINY_CLIP,
        guidance=5.0,
        guidance_2=3.0,
        options={"boundary_ratio": 0.875},
        parts_gib={**_TINY_PARTS, "transformer_2": 0.001},
    ),
)


# ---- checks and memory ---------------------------------------------------------------------------


def check(preset: Preset, request: ResolvedRequest) -> None:
    """What only Wan knows: one expert or two, which models pin a last frame, v2v steps."""
    name, variant = preset.name, preset.variant
    options = request.options_as(WanOptions)
    if variant not in TWO_EXPERT_VARIANTS:
        if request.guidance_2 != request.guidance:
            raise InvalidRequest(
                f"guidance_2 sets the low-noise expert of Wan 2.2 A14B; {name} has one transformer. "
                "Leave it unset or use wan22-a14b / wan22-i2v-a14b",
                param="guidance_2",
            )
        if options.boundary_ratio is not None:
            raise InvalidRequest(
                f"options.boundary_ratio switches between Wan 2.2 A14B's two experts; {name} has one "
                "transformer. Leave it unset or use wan22-a14b / wan22-i2v-a14b",
                param="options.boundary_ratio",
            )
    if variant in NEEDS_END_IMAGE_VARIANTS and request.task == Task.I2V and not request.end_image:
        raise InvalidRequest(
            f"end_image: {name} is a first+last frame model and needs an end image too; for a start "
            "image alone use wan-i2v-720p or wan22-i2v-a14b",
            param="end_image",
        )
    if request.end_image:
        if variant not in END_IMAGE_VARIANTS:
            models = sorted(p.name for p in PRESETS if p.variant in END_IMAGE_VARIANTS)
            raise InvalidRequest(
                f"end_image: {name} cannot pin a last frame; first+last frame models: {', '.join(models)}",
                param="end_image",
            )
        # VACE pins the end image beside a start image, keyframes or nothing else (vace.conditions).
        if request.task != Task.I2V and variant != VACE:
            raise InvalidRequest(
                "end_image is the last frame of an image-to-video run; give a start image too (start_image)",
                param="end_image",
            )
        if request.num_frames < 5:
            raise InvalidRequest(
                f"num_frames {request.num_frames}: a video with a last frame pinned needs at least 5 frames",
                param="num_frames",
            )
    if variant == VACE:
        vace.check(request, options.extend_context_frames)
    elif options.extend_context_frames is not None:
        raise InvalidRequest(
            f"options.extend_context_frames sets how much of the clip Wan VACE extends from; {name} does "
            "not extend. Leave it unset or use wan-vace-1.3b / wan-vace-14b",
            param="options.extend_context_frames",
        )
    check_v2v_steps(request)


def working_gib(preset: Preset, request: ResolvedRequest) -> float:
    """Activation peak: transformer block activations at the token count, or the VAE decode.

    Tokens are latent frames x (H/16) x (W/16) (TI2V-5B: /32). The transformer
    peak holds a few copies of the hidden states plus the FFN intermediate
    (SDPA attention keeps no score matrix), for both CFG passes at once as the
    fast path batches them. The Wan VAE decodes one latent frame (4 video
    frames) at a time with a cache, so its peak grows with frame area, not clip
    length; the decoded clip itself is held in float32.
    """
    return _working(preset, request, tiled=False, batch=_cfg_batch(request))


def tiled_working_gib(preset: Preset, request: ResolvedRequest) -> float:
    """The same peak with VAE tiling on: the decode's cache covers one tile, not the frame.

    The decoded tiles of the whole clip (overlaps included) are held in float32
    until they are blended, on top of the clip itself.
    """
    return _working(preset, request, tiled=True, batch=_cfg_batch(request))


def split_working_gib(preset: Preset, request: ResolvedRequest, tiled: bool) -> float:
    """The peak with CFG's two passes run one at a time (what fits Wan 14B at 720p in 12 GiB)."""
    return _working(preset, request, tiled=tiled, batch=1)


def _cfg_batch(request: ResolvedRequest) -> int:
    return 2 if request.guidance > 1 else 1


def _working(preset: Preset, request: ResolvedRequest, *, tiled: bool, batch: int) -> float:
    width, height, frames = request.width, request.height, request.num_frames
    spatial = 32 if preset.variant == TI2V else 16
    tokens = ((frames - 1) // 4 + 1) * (height // spatial) * (width // spatial)
    dim, ffn = preset.dims
    # bf16 hidden states, q/k/v/out and the FFN intermediate per token: calibrated on the 50.5 GiB
    # peak of wan-14b at 1280x720x81 with CFG batched (about 10 GiB over its 40.5 GiB of weights).
    transformer = batch * tokens * (6 * dim + ffn) * 2 * 0.8 / GIB
    # 96 channels x 6 cached frames in fp32, ~16 live copies: calibrated on the 28.1 GiB peak
    # measured for wan-1.3b at 832x480x81 (docs/benchmarks.md).
    area = width * height
    if tiled and area > VAE_TILE * VAE_TILE:
        overlap = (VAE_TILE / VAE_TILE_STRIDE) ** 2
        tiles = frames * area * 3 * 4 * overlap / GIB
        vae_decode = VAE_TILE * VAE_TILE * 96 * 6 * 4 * 16 / GIB + tiles
    else:
        vae_decode = area * 96 * 6 * 4 * 16 / GIB
    return working_set_gib(width, height, frames, transformer, vae_decode)


SPEC = FamilySpec(
    family="wan",
    label="Wan",
    presets=PRESETS,
    rules=RULES,
    runner="reelgen.core.backends.wan.runner:WanRunner",
    tiny_builder="reelgen.core.backends.wan.tiny:build_tiny_pipeline",
    options=WanOptions,
    working_gib=working_gib,
    tiled_working_gib=tiled_working_gib,
    split_working_gib=split_working_gib,
    check=check,
)
