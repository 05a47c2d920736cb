"""Kandinsky 5.0 Video Lite as data: presets, size and frame rules, request checks, memory model.

Where the numbers come from:

- Checkpoint ids: diffusers' docs for Kandinsky 5.0 Video list
  ``kandinskylab/Kandinsky-5.0-T2V-Lite-sft-5s-Diffusers``; the model zoo of
  kandinskylab/kandinsky-5 lists I2V Lite as the native ``Kandinsky-5.0-I2V-Lite-5s``,
  and its diffusers conversion ``kandinskylab/Kandinsky-5.0-I2V-Lite-5s-Diffusers`` is
  the id FastVideo registers for ``Kandinsky5I2VPipeline``.
- 768x512, 121 frames, 50 steps, guidance 5.0: the ``__call__`` defaults of
  ``Kandinsky5T2VPipeline`` and ``Kandinsky5I2VPipeline`` (diffusers 0.42.1); the
  reference config of I2V Lite (``k5_lite_i2v_5s_sft_sd.yaml``) also runs 50 steps at 5.0.
- 24 fps: the pipelines' docstring example exports at ``fps=24``; 121 frames are then
  the 5 seconds the "5s" checkpoints are trained for.
- Rules: ``check_inputs`` wants sides divisible by 16 (8x VAE, 2x2 patches); the
  HunyuanVideo VAE compresses 4x in time, so frames are 4k+1 (the pipelines would
  round other counts silently).
- Sizes: parameter counts of the real configs (DiT 2.008e9 with model_dim 1792,
  ff_dim 7168, 32 blocks; Qwen2.5-VL-7B 8.29e9; CLIP ViT-L/14 text 0.123e9;
  HunyuanVideo VAE 0.246e9), resident in bfloat16.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.family import FamilySpec, Preset
from reelgen.core.spec.memory import GIB, DeviceInfo, MemoryPlan, plan_memory, working_set_gib
from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.core.spec.rules import SizeRules

RULES = SizeRules(label="Kandinsky 5 (5 s models)", multiple=16, frame_step=4, frame_offset=1, max_frames=121)
# Kandinsky5I2VPipeline matches the first 4 latent frames' statistics to the ones after them
# (``normalize_first_frame``); with fewer than 5 latent frames there are none and the clip is NaN.
RULES_I2V = replace(RULES, label="Kandinsky 5 image-to-video (5 s models)", min_frames=17)

_PARTS = {"transformer": 3.74, "text_encoder": 15.45, "text_encoder_2": 0.23, "vae": 0.46}
_LITE: dict[str, Any] = dict(
    width=768,
    height=512,
    num_frames=121,
    fps=24.0,
    steps=50,
    guidance=5.0,
    dims=(1792, 7168),
    parts_gib=_PARTS,
)
_TINY: dict[str, Any] = dict(
    tiny=True, width=64, height=64, num_frames=17, fps=24.0, steps=2, guidance=5.0, dims=(32, 64),
    parts_gib=dict.fromkeys(_PARTS, 0.001),
)  # fmt: skip


def _preset(name: str, repo: str | None, task: Task, description: str, **kw: Any) -> Preset:
    rules = RULES_I2V if task is Task.I2V else RULES
    return Preset(
        name=name, family="kandinsky5", description=description, repo_id=repo, tasks=frozenset({task}),
        rules=rules, **kw,
    )  # fmt: skip


PRESETS: tuple[Preset, ...] = (
    _preset(
        "kandinsky5-lite",
        "kandinskylab/Kandinsky-5.0-T2V-Lite-sft-5s-Diffusers",
        Task.T2V,
        "Kandinsky 5.0 Video Lite 2B text-to-video (SFT, 5 s), 768x512 at 24 fps",
        **_LITE,
    ),
    _preset(
        "kandinsky5-lite-i2v",
        "kandinskylab/Kandinsky-5.0-I2V-Lite-5s-Diffusers",
        Task.I2V,
        "Kandinsky 5.0 Video Lite 2B image-to-video (5 s), 768x512 at 24 fps",
        **_LITE,
    ),
    _preset(
        "kandinsky5-tiny", None, Task.T2V, "Tiny random Kandinsky 5 text-to-video (no download)", **_TINY
    ),
    _preset("kandinsky5-i2v-tiny", None, Task.I2V, "Tiny random Kandinsky 5 image-to-video", **_TINY),
)


def check(preset: Preset, request: ResolvedRequest) -> None:
    """What Kandinsky 5 cannot take: a last frame, or a second guidance scale (it has one transformer)."""
    if request.end_image and Task.I2V in preset.tasks:  # a t2v model's is said by resolve
        raise InvalidRequest(
            f"end_image: {preset.name} animates a start image only and cannot pin a last frame; leave it out",
            param="end_image",
        )
    if request.guidance_2 != request.guidance:
        raise InvalidRequest(
            f"guidance_2 sets Wan 2.2's second expert; {preset.name} has one transformer. Leave it unset",
            param="guidance_2",
        )


def working_gib(preset: Preset, request: ResolvedRequest) -> float:
    """Activation peak: the transformer over every token or one tile of the VAE decode, plus the clip.

    Tokens are latent frames x (H/16) x (W/16); a block holds a few copies of the
    hidden states and the feed-forward (SDPA keeps no score matrix). On a GPU the
    VAE decodes in tiles (``recipe``), so its peak is a tile's, as for HunyuanVideo
    whose VAE this is; the decoded clip is held in float32 twice.
    """
    width, height, frames = request.width, request.height, request.num_frames
    tokens = ((frames - 1) // 4 + 1) * (height // 16) * (width // 16)
    dim, ffn = preset.dims
    transformer = tokens * (6 * dim + ffn) * 2 / GIB
    vae_tile = 256 * 256 * 128 * 17 * 2 * 6 / GIB  # 256 px tiles of 17 frames, 128 channels, ~6 live
    return working_set_gib(width, height, frames, transformer, vae_tile)


def recipe(
    preset: Preset, request: ResolvedRequest, device: DeviceInfo, budget_gib: float | None
) -> MemoryPlan | None:
    """On a GPU the VAE always decodes in tiles, as Kandinsky's own code does: un-tiled, the
    HunyuanVideo VAE decodes the whole clip at once. CPU runs keep the exact, un-tiled decode."""
    if device.device == "cpu":
        return None
    plan = plan_memory(
        preset.parts_gib, working_gib(preset, request), device, budget_gib=budget_gib, dtype=preset.dtype
    )
    return replace(plan, vae_tiling=True)


SPEC = FamilySpec(
    family="kandinsky5",
    label="Kandinsky 5",
    presets=PRESETS,
    rules=RULES,
    runner="reelgen.core.backends.kandinsky5.runner:Kandinsky5Runner",
    tiny_builder="reelgen.core.backends.kandinsky5.tiny:build_tiny_pipeline",
    working_gib=working_gib,
    check=check,
    recipe=recipe,
)
