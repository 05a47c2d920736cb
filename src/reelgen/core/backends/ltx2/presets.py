"""LTX-2 as data: presets, size rules, options, request checks and memory model of the video-with-sound model."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.family import FamilySpec, Preset
from reelgen.core.spec.memory import GIB, working_set_gib
from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.core.spec.rules import SizeRules

#: The distilled checkpoints walk a fixed 8-sigma ladder (diffusers' ``DISTILLED_SIGMA_VALUES``).
DISTILLED_STEPS = 8

RULES = SizeRules(
    label="LTX-2: width and height multiples of 32, frames 8k+1",
    multiple=32,
    min_side=64,  # one latent row or column (32 px) breaks the VAE decoder's reflect padding
    max_side=2048,
    frame_step=8,
    frame_offset=1,
    min_frames=9,
    max_frames=481,  # 20 s at 24 fps, the pipeline's longest supported duration
)

#: diffusers' ``DEFAULT_NEGATIVE_PROMPT`` (pipelines/ltx2/utils.py), kept here so the API can name it
#: without importing diffusers; tests/core/test_s50_r4_ltx2_negative.py checks the two agree.
NEGATIVE_PROMPT_DEFAULT = (
    "blurry, out of focus, overexposed, underexposed, low contrast, washed out colors, excessive noise, "
    "grainy texture, poor lighting, flickering, motion blur, distorted proportions, unnatural skin tones,"
    " deformed facial features, asymmetrical face, missing facial features, extra limbs, disfigured "
    "hands, wrong hand count, artifacts around text, inconsistent perspective, camera shake, incorrect "
    "depth of field, background too sharp, background clutter, distracting reflections, harsh shadows, "
    "inconsistent lighting direction, color banding, cartoonish rendering, 3D CGI look, unrealistic "
    "materials, uncanny valley effect, incorrect ethnicity, wrong gender, exaggerated expressions, wrong "
    "gaze direction, mismatched lip sync, silent or muted audio, distorted voice, robotic voice, echo, "
    "background noise, off-sync audio, incorrect dialogue, added dialogue, repetitive speech, jittery "
    "movement, awkward pauses, incorrect timing, unnatural transitions, inconsistent framing, tilted "
    "camera, flat lighting, inconsistent tone, cinematic oversaturation, stylized filters, or AI "
    "artifacts."
)

TASKS = frozenset({Task.T2V, Task.I2V, Task.KEYFRAMES, Task.AUDIO})


class LTX2Options(BaseModel):
    """LTX-2's guidance knobs; audio follows the video's values except its own CFG scale."""

    model_config = ConfigDict(extra="forbid")

    stg_scale: float = Field(default=1.0, ge=0, description="spatio-temporal guidance; 0 turns it off")
    modality_scale: float = Field(
        default=3.0, ge=0, description="audio/video modality guidance; 1 turns it off"
    )
    guidance_rescale: float = Field(default=0.7, ge=0, le=1, description="rescale of the guided prediction")
    audio_guidance_scale: float = Field(
        default=7.0, ge=0, description="classifier-free guidance of the audio"
    )
    distilled_sigmas: bool = Field(
        default=False, description="use the distilled checkpoints' 8-step schedule"
    )
    max_sequence_length: int = Field(
        default=1024, ge=16, le=1024, description="prompt tokens the encoder reads"
    )
    negative_prompt_default: str = Field(
        default=NEGATIVE_PROMPT_DEFAULT,
        description="the negative prompt used when the request gives none (the one diffusers publishes)",
    )


#: Guidance of the distilled checkpoints: one model call per step, no CFG, STG or modality passes.
_DISTILLED = {
    "stg_scale": 0.0,
    "modality_scale": 1.0,
    "guidance_rescale": 0.0,
    "audio_guidance_scale": 1.0,
    "distilled_sigmas": True,
}

# Resident sizes in bf16, from the parameter counts of each part (Gemma 3 12B encodes the prompt).
_PARTS_19B = {"transformer": 35.4, "text_encoder": 22.7, "connectors": 2.7, "vae": 0.8, "audio": 0.3}
_PARTS_22B = {"transformer": 41.0, "text_encoder": 22.7, "connectors": 6.0, "vae": 0.8, "audio": 0.4}
#: The video stream's hidden and feed-forward widths (32 heads x 128; the tiny model 2 x 8).
_DIMS = (4096, 16384)


def _preset(name: str, repo: str | None, description: str, parts: dict[str, float], **kw: Any) -> Preset:
    defaults: dict[str, Any] = dict(
        width=768,
        height=512,
        num_frames=121,
        fps=24.0,
        steps=30,
        guidance=3.0,
        tasks=TASKS,
        dims=_DIMS,
        end_image=True,
    )
    return Preset(name, "ltx2", description, repo, parts_gib=parts, **(defaults | kw))


PRESETS: tuple[Preset, ...] = (
    _preset("ltx2", "Lightricks/LTX-2", "LTX-2 19B, video with audio", _PARTS_19B, steps=40),
    _preset("ltx2.3", "diffusers/LTX-2.3-Diffusers", "LTX-2.3 22B, video with audio", _PARTS_22B),
    _preset(
        "ltx2.3-distilled",
        "diffusers/LTX-2.3-Distilled-Diffusers",
        "LTX-2.3 22B distilled: 8 steps, no CFG",
        _PARTS_22B,
        steps=DISTILLED_STEPS,
        guidance=1.0,
        options=_DISTILLED,
    ),
    _preset(
        "ltx2-tiny",
        None,
        "tiny random LTX-2 for tests and offline demos",
        {"transformer": 0.001, "text_encoder": 0.001},
        width=64,
        height=64,
        num_frames=17,
        steps=2,
        tiny=True,
        dims=(16, 64),
        options={"max_sequence_length": 64},
    ),
)


def latent_index(frame: int, num_frames: int, ratio: int) -> int:
    """The latent frame whose first pixel frame lies nearest ``frame``.

    LTX-2 conditions keyframes per latent frame: latent L starts at pixel
    frame (L-1)*ratio + 1, so a keyframe lands within ratio/2 frames of where
    it was asked for; one in the clip's last ratio frames pins the start of
    the last latent frame (the last frame itself lands ratio-1 frames early).
    """
    if frame == 0:
        return 0
    last = (num_frames - 1) // ratio
    return min(last, round((frame - 1) / ratio) + 1)


def check(preset: Preset, request: ResolvedRequest) -> None:
    """What only LTX-2 knows: the distilled schedule's length, and an end image needs another image."""
    if request.options_as(LTX2Options).distilled_sigmas and request.steps != DISTILLED_STEPS:
        raise InvalidRequest(
            f"steps {request.steps}: the distilled schedule has exactly {DISTILLED_STEPS} steps; "
            f"use steps {DISTILLED_STEPS} or options.distilled_sigmas false",
            param="steps",
        )
    # Beside keyframes the end image is one more condition of the condition pipeline, as in LTX-Video.
    if request.end_image and not (request.start_image or request.keyframes):
        raise InvalidRequest(
            "end_image pins the last frame of a run from a start image or keyframes; give a start image "
            "(start_image) or keyframes (keyframes) too",
            param="end_image",
        )
    _check_latent_frames(request)


def _check_latent_frames(request: ResolvedRequest) -> None:
    """One image per latent frame: a second one there was laid over the first, unsaid."""
    ratio, n = RULES.frame_step, request.num_frames
    pinned = [("start_image", 0, "the start image")] if request.start_image else []
    pinned += [
        (f"keyframes[{i}].frame", k.frame, f"the keyframe at frame {k.frame}")
        for i, k in enumerate(request.keyframes)
    ]
    if request.end_image:
        pinned.append(("end_image", n - 1, f"the end image (frame {n - 1})"))
    taken: dict[int, str] = {}
    for param, frame, said in pinned:
        index = latent_index(frame, n, ratio)
        if index in taken:
            span = "frame 0" if index == 0 else f"frames {(index - 1) * ratio + 1}..{index * ratio}"
            where = f"{param} {frame}" if param.startswith("keyframes") else param
            raise InvalidRequest(
                f"{where}: {said} and {taken[index]} land on the same latent frame ({span}); LTX-2 pins "
                f"one image per {ratio} frames, so set them at least {ratio} frames apart",
                param=param,
            )
        taken[index] = said


def working_gib(preset: Preset, request: ResolvedRequest) -> float:
    """Activation peak: the transformer over all video tokens, or the VAE decode, plus the decoded clip.

    Video tokens are latent frames x (H/32) x (W/32); the soundtrack adds
    25 tokens a second. The VAE decodes the whole clip at once, widest at
    a quarter of the resolution with 256 channels in bf16.
    """
    width, height, frames = request.width, request.height, request.num_frames
    tokens = ((frames - 1) // 8 + 1) * (height // 32) * (width // 32) + 25 * request.seconds
    dim, ffn = preset.dims
    transformer = tokens * (6 * dim + ffn) * 2 / GIB
    vae_decode = frames * (height // 4) * (width // 4) * 256 * 2 * 4 / GIB  # ~4 such tensors live
    return working_set_gib(width, height, frames, transformer, vae_decode)


SPEC = FamilySpec(
    family="ltx2",
    label="LTX-2",
    presets=PRESETS,
    rules=RULES,
    runner="reelgen.core.backends.ltx2.runner:LTX2Runner",
    tiny_builder="reelgen.core.backends.ltx2.tiny:build_tiny_pipeline",
    options=LTX2Options,
    working_gib=working_gib,
    check=check,
)
