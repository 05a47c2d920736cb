"""Mochi 1 as data: presets, size rules and the memory model of its 10B asymmetric transformer."""

from __future__ import annotations

from reelgen.core.spec.family import FamilySpec, Preset
from reelgen.core.spec.memory import GIB, working_set_gib
from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.core.spec.rules import SizeRules

# The VAE compresses 8x in space and 6x in time; the transformer patches 2x2 latents.
RULES = SizeRules(
    "Mochi 1: sides multiples of 16, frames 6k+1 up to 163",
    multiple=16,
    max_side=1280,
    frame_step=6,
    frame_offset=1,
    max_frames=163,
)

PRESETS = (
    Preset(
        name="mochi-1",
        family="mochi",
        repo_id="genmo/mochi-1-preview",
        description="Mochi 1 preview 10B: 848x480 text-to-video at 30 fps",
        tasks=frozenset({Task.T2V}),
        width=848,
        height=480,
        num_frames=85,
        fps=30.0,
        steps=64,
        guidance=4.5,
        # 24 heads x 128 wide, SwiGLU feed-forward of 8192.
        dims=(3072, 8192),
        parts_gib={"transformer": 18.6, "text_encoder": 8.9, "vae": 0.8},
    ),
    Preset(
        name="mochi-tiny",
        family="mochi",
        repo_id=None,
        description="tiny random Mochi for tests and demos (no download)",
        tasks=frozenset({Task.T2V}),
        width=32,
        height=32,
        num_frames=7,
        fps=30.0,
        steps=2,
        guidance=4.5,
        dims=(16, 64),
        parts_gib={"transformer": 0.001, "text_encoder": 0.001, "vae": 0.001},
        tiny=True,
    ),
)


def working_gib(preset: Preset, request: ResolvedRequest) -> float:
    """Activation peak: the transformer over every token, or the VAE decode.

    Tokens are latent frames x (H/16) x (W/16) plus 256 text tokens. Without
    tiling the VAE decodes every frame at once with 128 full-resolution
    channels, which is why the planner tiles it on small cards.
    """
    width, height, frames = request.width, request.height, request.num_frames
    tokens = ((frames - 1) // 6 + 1) * (height // 16) * (width // 16) + 256
    transformer = tokens * preset.dims[0] * 10 * 2 / GIB  # q/k/v/out, residual and the FFN, 16-bit
    vae_decode = frames * width * height * 128 * 2 * 2 / GIB
    return working_set_gib(width, height, frames, transformer, vae_decode)


SPEC = FamilySpec(
    family="mochi",
    label="Mochi 1",
    presets=PRESETS,
    rules=RULES,
    runner="reelgen.core.backends.mochi.runner:MochiRunner",
    tiny_builder="reelgen.core.backends.mochi.tiny:build_tiny_pipeline",
    working_gib=working_gib,
)
