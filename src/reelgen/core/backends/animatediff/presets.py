"""AnimateDiff as data: presets, size rules, options, camera moves, FreeNoise windows, memory and its low-VRAM recipe."""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from reelgen.core.spec.family import FamilySpec, Preset
from reelgen.core.spec.memory import GIB, DeviceInfo, MemoryPlan, working_set_gib
from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.core.spec.rules import SizeRules, check_v2v_steps

FAMILY = "animatediff"

#: A budget at or below this gets the low-VRAM recipe (sequential offload, fp16, slicing, tiling).
LOW_VRAM_GIB = 6.0
LOW_VRAM = "low-vram"
#: Frames the VAE decodes at once under the low-VRAM recipe, at most.
LOW_VRAM_DECODE_CHUNK = 4
#: The motion modules were trained on 16-frame clips; longer clips run FreeNoise windows of this size.
CONTEXT_FRAMES = 16
CONTEXT_STRIDE = 4

#: Linear map from Stable Diffusion 1.x latents to RGB, as ComfyUI's SD15 preview uses (SVD shares it).
SD15_LATENT_RGB_FACTORS = [
    [0.3512, 0.2297, 0.3227],
    [0.3250, 0.4974, 0.2350],
    [-0.2829, 0.1762, 0.2721],
    [-0.2120, -0.2616, -0.7177],
]

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


class AnimateDiffOptions(BaseModel):
    """AnimateDiff knobs beyond the common request."""

    model_config = ConfigDict(extra="forbid")

    camera_motion: CameraMotion | None = Field(
        default=None, description="a camera move from guoyww's motion LoRAs (read from the HF cache)"
    )
    camera_motion_strength: float = Field(default=1.0, ge=0.0, le=2.0)
    decode_chunk_size: int = Field(
        default=16, ge=1, description="frames the VAE decodes at once: lower uses less memory"
    )


RULES = SizeRules(
    "AnimateDiff (SD1.5): sides multiples of 8 up to 1024", multiple=8, min_side=64, max_side=1024
)
RULES_TINY = SizeRules("animatediff-tiny: sides multiples of 8", multiple=8, max_side=256)

#: fp16 sizes: SD1.5 UNet 0.86B, motion module 0.45B, CLIP-L text encoder 123M, VAE 84M parameters.
PARTS = {"unet": 1.6, "motion_adapter": 0.85, "text_encoder": 0.23, "vae": 0.16}
BASE_REPO = "SG161222/Realistic_Vision_V5.1_noVAE"
TASKS = frozenset({Task.T2V, Task.V2V})
_DEFAULTS: dict[str, Any] = dict(fps=8.0, guidance=7.5, tasks=TASKS, family=FAMILY)


def _motion_preset(version: str) -> Preset:
    """A real preset: the SD1.5 base plus motion adapter ``version`` (fetched with it by `reelgen pull`).

    ``variant`` names the motion adapter repo an SD1.5 folder is joined with.
    """
    adapter = f"guoyww/animatediff-motion-adapter-{version}"
    return Preset(
        name=f"animatediff-{version}",
        repo_id=BASE_REPO,
        description=f"AnimateDiff motion module {version} on Realistic Vision 5.1 (SD1.5); low VRAM",
        width=512,
        height=512,
        num_frames=16,
        steps=50,
        parts_gib=PARTS,
        dtype="float16",
        variant=adapter,
        companions={adapter: ()},
        **_DEFAULTS,
    )


PRESETS = (
    _motion_preset("v1-5-2"),
    _motion_preset("v1-5-3"),
    Preset(
        name="animatediff-tiny",
        repo_id=None,
        description="tiny random AnimateDiff for tests and demos (no download)",
        width=32,
        height=32,
        num_frames=8,
        steps=2,
        parts_gib={"unet": 0.001, "motion_adapter": 0.001, "text_encoder": 0.001, "vae": 0.001},
        tiny=True,
        rules=RULES_TINY,
        **_DEFAULTS,
    ),
)


def free_noise_windows(frames: int) -> dict[str, int] | None:
    """The FreeNoise windows a clip of ``frames`` runs with; None when one window covers it.

    A clip of at most 16 frames is one window over all its frames, which computes
    exactly what the plain motion module does.
    """
    if frames <= CONTEXT_FRAMES:
        return None
    return {"context_length": CONTEXT_FRAMES, "context_stride": CONTEXT_STRIDE}


def check(preset: Preset, request: ResolvedRequest) -> None:
    check_v2v_steps(request)


def working_gib(preset: Preset, request: ResolvedRequest) -> float:
    """Activation peak: the UNet's first stage over every frame (CFG doubles it), or the VAE decode.

    FreeNoise runs the motion modules over 16-frame windows, but the spatial
    layers still see every frame. The VAE decodes ``decode_chunk_size`` frames
    at once, its upsampler putting out 256 channels at full resolution: the
    peak. Calibrated on an H200 (fp16, 512x512x16, chunk 16): 11.9 GiB measured
    in all, 2.8 GiB of it weights.
    """
    width, height, frames = request.width, request.height, request.num_frames
    chunk = min(request.options_as(AnimateDiffOptions).decode_chunk_size, frames)
    unet = frames * (height // 8) * (width // 8) * 320 * 2 * 2 * 12 / GIB
    vae_decode = chunk * width * height * 256 * 2 * 4 / GIB
    return working_set_gib(width, height, frames, unet, vae_decode)


def low_vram_recipe(
    preset: Preset, request: ResolvedRequest, device: DeviceInfo, budget_gib: float | None
) -> MemoryPlan | None:
    """The low-VRAM recipe for GPU budgets of 6 GiB or less; None leaves the planner to decide.

    On the CPU a VRAM budget has nothing to plan: the planner's CPU plan says so, as for
    every family (this recipe took a budget there and recorded it as the plan's).
    """
    budget = budget_gib if budget_gib is not None else device.free_gib
    if device.device == "cpu" or budget is None or budget > LOW_VRAM_GIB:
        return None
    # Sequential offload keeps one layer resident; slicing bounds attention and decode peaks.
    need = 0.05 * max(preset.parts_gib.values()) + 0.5 * working_gib(preset, request)
    how = "sequential offload in fp16, attention slicing, VAE slicing and tiling"
    return MemoryPlan(
        "sequential_offload",
        device.device,
        "float16",
        budget,
        need,
        vae_tiling=True,
        vae_slicing=True,
        attention_slicing=True,
        recipe=LOW_VRAM,
        reason=f"budget {budget:.1f} GiB <= {LOW_VRAM_GIB:.0f} GiB: low-VRAM recipe ({how})",
    )


SPEC = FamilySpec(
    family=FAMILY,
    label="AnimateDiff",
    presets=PRESETS,
    rules=RULES,
    runner="reelgen.core.backends.animatediff.runner:AnimateDiffRunner",
    tiny_builder="reelgen.core.backends.animatediff.tiny:build_tiny_pipeline",
    options=AnimateDiffOptions,
    working_gib=working_gib,
    check=check,
    recipe=low_vram_recipe,
)
