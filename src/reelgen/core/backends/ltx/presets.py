"""LTX-Video 0.9.x as data: presets, size rules, options, request checks, extend arithmetic, memory model."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.family import FamilySpec, Preset
from reelgen.core.spec.memory import GIB
from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.core.spec.rules import SizeRules, check_v2v_steps

#: The VAE packs 8 frames into one latent frame after the first: every run is 8k+1 frames long.
FRAME_STEP = 8
RULES = SizeRules(label="LTX-Video", multiple=32, frame_step=FRAME_STEP, frame_offset=1, max_frames=257)
TASKS = frozenset({Task.T2V, Task.I2V, Task.KEYFRAMES, Task.EXTEND, Task.V2V})

#: Variant of checkpoints published as condition pipelines (0.9.7): every task runs through
#: ``LTXConditionPipeline``. The default variant ("") runs t2v and i2v through the plain pipelines.
CONDITION = "condition"


class LTXOptions(BaseModel):
    """LTX knobs beyond the common request; presets set what their checkpoint was tuned for."""

    model_config = ConfigDict(extra="forbid")

    #: Timestep-aware VAEs (0.9.1 and later) decode from a slightly noised latent: 0.05 / 0.025.
    decode_timestep: float = Field(default=0.0, ge=0.0, le=1.0)
    decode_noise_scale: float | None = Field(default=None, ge=0.0, le=1.0)
    #: Noise put back on pinned frames (keyframes, extend) at each step; helps motion continuity.
    image_cond_noise_scale: float = Field(default=0.15, ge=0.0, le=1.0)
    guidance_rescale: float = Field(default=0.0, ge=0.0, le=1.0)
    #: A fixed schedule (distilled checkpoints). Used when ``steps`` equals its length; any other
    #: step count falls back to the default schedule for the preset's own, and is refused for another.
    timesteps: list[float] | None = None
    max_sequence_length: int = Field(default=128, ge=1, le=512)
    #: Used when the request gives no negative prompt (the one LTX's authors publish).
    negative_prompt_default: str = "worst quality, inconsistent motion, blurry, jittery, distorted"
    #: extend: how many frames from the end of the source clip the model sees before the new
    #: ones (8k+1); by default about half as many as it makes. They are not in the output.
    extend_context_frames: int | None = Field(default=None, ge=1)


_TIMESTEP_VAE = {"decode_timestep": 0.05, "decode_noise_scale": 0.025, "image_cond_noise_scale": 0.025}
_13B_OPTIONS = {
    **_TIMESTEP_VAE,
    "image_cond_noise_scale": 0.0,
    "guidance_rescale": 0.7,
    "max_sequence_length": 256,
}
#: Resident bf16 sizes: transformer 1.92B / 13.0B params, VAE 1.25B, T5-XXL encoder 4.76B (8.87 GiB
#: of bf16 weights; 9.2 GiB measured resident, as transformers keeps a few T5 layers in float32).
_PARTS_2B = {"transformer": 3.58, "text_encoder": 9.2, "vae": 2.32}
_PARTS_13B = {"transformer": 24.29, "text_encoder": 9.2, "vae": 2.32}
#: Hidden and feed-forward widths: 2B is 32 heads x 64, 13B 32 heads x 128, the tiny model 4 x 8.
_DIMS_2B, _DIMS_13B = (2048, 8192), (4096, 16384)


def _preset(name: str, repo: str | None, description: str, **kw: Any) -> Preset:
    # Every LTX model pins images at any frame, the last one included.
    defaults: dict[str, Any] = dict(
        width=768, height=512, num_frames=121, fps=25.0, tasks=TASKS, end_image=True
    )
    return Preset(name=name, family="ltx", repo_id=repo, description=description, **(defaults | kw))


PRESETS: tuple[Preset, ...] = (
    _preset(
        "ltx-2b",
        "Lightricks/LTX-Video-0.9.5",
        "LTX-Video 0.9.5, 2B: fast text/image/keyframes to video at 704x512",
        width=704,
        num_frames=161,
        steps=50,
        guidance=3.0,
        parts_gib=_PARTS_2B,
        dims=_DIMS_2B,
        options=dict(_TIMESTEP_VAE),
    ),
    _preset(
        "ltx-13b",
        "Lightricks/LTX-Video-0.9.7-dev",
        "LTX-Video 0.9.7 dev, 13B: best LTX quality, all tasks through the condition pipeline",
        steps=30,
        guidance=5.0,
        parts_gib=_PARTS_13B,
        dims=_DIMS_13B,
        variant=CONDITION,
        options=dict(_13B_OPTIONS),
    ),
    _preset(
        "ltx-distilled",
        "Lightricks/LTX-Video-0.9.7-distilled",
        "LTX-Video 0.9.7 distilled, 13B: 8 steps without CFG",
        steps=8,
        guidance=1.0,
        parts_gib=_PARTS_13B,
        dims=_DIMS_13B,
        variant=CONDITION,
        options={**_13B_OPTIONS, "timesteps": [1000.0, 993.0, 987.0, 981.0, 975.0, 909.0, 725.0, 0.03]},
    ),
    _preset(
        "ltx-tiny",
        None,
        "LTX-Video classes with tiny random weights: for tests and trying the pipeline on a CPU",
        width=64,
        height=64,
        num_frames=9,
        fps=24.0,
        steps=2,
        guidance=3.0,
        tiny=True,
        parts_gib={"transformer": 0.001, "text_encoder": 0.001, "vae": 0.001},
        dims=(32, 128),
    ),
)


# ---- schedules and extend arithmetic -----------------------------------------------------------


def fixed_schedule(request: ResolvedRequest) -> list[float] | None:
    """The fixed timesteps to run, when the options have them and the step count matches."""
    timesteps = request.options_as(LTXOptions).timesteps
    return timesteps if timesteps and len(timesteps) == request.steps else None


def largest_valid(frames: int) -> int:
    """The longest 8k+1 clip that fits in ``frames`` frames (at least 1)."""
    return max(1, (frames - 1) // FRAME_STEP * FRAME_STEP + 1)


def extend_total(context: int, num_frames: int) -> int:
    """Frames one extend run generates: the context, the new frames, and up to the next 8k+1.

    Context and new frames are both 8k+1, so together they are 8k+2: the run
    makes ``FRAME_STEP - 1`` frames more than needed and drops them at the end.
    """
    return context + num_frames + FRAME_STEP - 1


def longest_run(preset: Preset) -> int:
    """The most frames one run of ``preset`` makes."""
    return (preset.rules or RULES).max_frames or RULES.max_frames or 257


def extend_context(preset: Preset, request: ResolvedRequest, source_frames: int | None = None) -> int:
    """How many frames from the end of the source clip an extend run starts from.

    ``options.extend_context_frames`` when set; otherwise about half as many as
    the run makes, no more than the source has and few enough to stay within
    the model's longest run.
    """
    wanted = request.options_as(LTXOptions).extend_context_frames
    if wanted is not None:
        return wanted
    context = min(
        largest_valid((request.num_frames - 1) // 2 + 1),
        largest_valid(longest_run(preset) - extend_total(0, request.num_frames)),
    )
    return context if source_frames is None else min(context, largest_valid(source_frames))


def _check_extend(preset: Preset, request: ResolvedRequest) -> None:
    """Context 8k+1, and context + new frames within one run."""
    wanted = request.options_as(LTXOptions).extend_context_frames
    if wanted is not None and (wanted - 1) % FRAME_STEP:
        below = largest_valid(wanted)
        raise InvalidRequest(
            f"options.extend_context_frames {wanted} must be 8k+1; nearest valid: {below} or "
            f"{below + FRAME_STEP}",
            param="options.extend_context_frames",
        )
    longest = longest_run(preset)
    context = wanted or 1
    most = longest - extend_total(context, 0)
    if request.num_frames > most:
        shorter = f"; a 1-frame context allows up to {longest - FRAME_STEP}" if context > 1 else ""
        raise InvalidRequest(
            f"num_frames: {request.num_frames} is too many for extend, which makes the new frames after "
            f"{context} frame(s) of the source in one run of at most {longest} frames; it accepts 8k+1 "
            f"from 1 to {most}{shorter}",
            param="num_frames",
        )


# ---- checks and memory -------------------------------------------------------------------------


def check(preset: Preset, request: ResolvedRequest) -> None:
    """What only LTX knows: a falling fixed schedule, extend's frame arithmetic and options."""
    schedule = request.options_as(LTXOptions).timesteps
    if schedule is not None and (
        not all(0 < t <= 1000 for t in schedule) or any(a <= b for a, b in pairwise(schedule))
    ):
        raise InvalidRequest(
            f"options.timesteps {schedule} must fall strictly from at most 1000 to above 0",
            param="options.timesteps",
        )
    if (
        schedule is not None
        and len(schedule) != request.steps
        and schedule != preset.options.get("timesteps")
    ):
        # The preset's own schedule gives way to another --steps by design; one the user wrote would be
        # dropped unsaid for the default schedule, the record still naming it.
        raise InvalidRequest(
            f"options.timesteps has {len(schedule)} values but the run takes {request.steps} steps; set "
            f"{len(schedule)} steps (steps) or give one timestep per step",
            param="options.timesteps",
        )
    if request.task is Task.EXTEND:
        _check_extend(preset, request)
    elif request.options_as(LTXOptions).extend_context_frames is not None:
        # Only an extend run reads it: accepted elsewhere, it would change nothing the user could see.
        raise InvalidRequest(
            "options.extend_context_frames sets how many frames of the source clip an extend run starts "
            f"from; it applies only to task extend, and this request is {request.task.value}. Leave it "
            "unset, or ask for task extend with a source_video",
            param="options.extend_context_frames",
        )
    check_v2v_steps(request)


#: Activation bytes per transformer token and hidden unit (measured: 0.77 GiB for 2B, CFG, 768x512x121).
_ACT_BYTES_PER_UNIT = 32
#: Peak bytes per output pixel of one un-tiled bf16 VAE decode (measured: 101 at 768x512x121,
#: 704x512x161 and 1216x704x121 on an H200; the last stages run at full size).
_VAE_BYTES_PER_PIXEL = 104


#: With VAE tiling on, LTX decodes in tiles of this many frames (plus one) with this stride, as
#: well as diffusers' 512-pixel squares: its spatial tiles alone, over a 768x512 clip, cut the
#: decode's peak by a third, and LTX 2B in 6 GiB ran out of memory in that decode on an H200.
VAE_TILE_FRAMES, VAE_TILE_FRAME_STRIDE = 32, 24
#: diffusers' spatial tile side for the LTX VAE (0.42.1 default).
VAE_TILE = 512


def tile_in_time(vae: Any) -> None:
    """Decode in overlapping runs of frames too, blended where they meet.

    The decode is reelgen's (``time_tiles``): diffusers' own puts every frame after the first
    seam one frame late.
    """
    from reelgen.core.backends.ltx.time_tiles import place_frames_right

    vae.use_framewise_decoding = True
    vae.tile_sample_min_num_frames = VAE_TILE_FRAMES
    vae.tile_sample_stride_num_frames = VAE_TILE_FRAME_STRIDE
    place_frames_right(vae)


def working_gib(preset: Preset, request: ResolvedRequest) -> float:
    """Activation peak: the transformer's tokens (CFG doubles them) or the VAE decode, whichever is larger.

    An extend run generates its context frames too, so it counts them.
    """
    return _working(preset, request, tiled=False)


def tiled_working_gib(preset: Preset, request: ResolvedRequest) -> float:
    """The same peak with VAE tiling on: the decode holds one tile of frames and pixels at a time.

    Each tile's decode peaks like an untiled decode of its size; the decoded tiles
    of the clip wait in bf16 (overlaps included) until they are blended.
    """
    return _working(preset, request, tiled=True)


def _working(preset: Preset, request: ResolvedRequest, *, tiled: bool) -> float:
    width, height, frames = request.width, request.height, request.num_frames
    if request.task is Task.EXTEND:
        frames = extend_total(extend_context(preset, request), frames)
    per_frame = (height // 32) * (width // 32)
    tokens = ((frames - 1) // 8 + 1 + len(request.keyframes) + bool(request.end_image)) * per_frame
    batch = 2 if request.guidance > 1 else 1
    transformer = batch * tokens * preset.dims[0] * _ACT_BYTES_PER_UNIT / GIB
    if tiled:
        tile = min(frames, VAE_TILE_FRAMES + 1) * min(height, VAE_TILE) * min(width, VAE_TILE)
        decoded = frames * height * width * 3 * 2 * (VAE_TILE_FRAMES / VAE_TILE_FRAME_STRIDE) / GIB
        vae = tile * _VAE_BYTES_PER_PIXEL / GIB + decoded
    else:
        vae = frames * height * width * _VAE_BYTES_PER_PIXEL / GIB
    return 0.5 + max(transformer, vae)


SPEC = FamilySpec(
    family="ltx",
    label="LTX-Video",
    presets=PRESETS,
    rules=RULES,
    runner="reelgen.core.backends.ltx.runner:LTXRunner",
    tiny_builder="reelgen.core.backends.ltx.tiny:build_tiny_pipeline",
    options=LTXOptions,
    working_gib=working_gib,
    tiled_working_gib=tiled_working_gib,
    check=check,
)
