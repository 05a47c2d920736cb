"""SkyReels-V2 as data: presets, size rules, request checks and the memory model; importable without torch."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from reelgen.core.backends.skyreels.windows import (
    FRAME_STEP,
    WINDOW_OPTIONS,
    SkyReelsOptions,
    check_windows,
    extend_frames,
    latent_frames,
)
from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.family import FamilySpec, Preset
from reelgen.core.spec.memory import GIB, working_set_gib
from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.core.spec.rules import SizeRules

# Preset variants: diffusion forcing (long videos in windows) or one-window text / image to video.
DF, T2V, I2V = "df", "t2v", "i2v"

DF_RULES = SizeRules(
    label="SkyReels-V2 diffusion forcing: width and height multiples of 16, frames 4k+1",
    multiple=16,
    min_side=32,
    max_side=2048,
    frame_step=FRAME_STEP,
    frame_offset=1,
    min_frames=5,
    max_frames=1457,  # 60 s at 24 fps, the longest the model card shows
)
PLAIN_RULES = SizeRules(
    label="SkyReels-V2: width and height multiples of 16, frames 4k+1 (one window; use a DF model for longer)",
    multiple=16,
    min_side=32,
    max_side=2048,
    frame_step=FRAME_STEP,
    frame_offset=1,
    min_frames=5,
    max_frames=161,
)

# Resident sizes: transformer and UMT5-XXL in bf16, the Wan VAE kept in float32 (it must not run in bf16);
# I2V models add a CLIP image encoder. Hidden and FFN widths as Wan 2.1's 1.3B and 14B transformers.
_TEXT_VAE = {"text_encoder": 10.6, "vae": 0.5}
_SIZES: dict[str, dict[str, Any]] = {
    "1.3b": dict(parts_gib={"transformer": 2.4, **_TEXT_VAE}, dims=(1536, 8960)),
    "14b": dict(parts_gib={"transformer": 26.1, **_TEXT_VAE}, dims=(5120, 13824)),
    "tiny": dict(parts_gib={"transformer": 0.001}, dims=(24, 32), tiny=True),
}
_CLIP_GIB = 1.2
_TASKS = {
    DF: frozenset({Task.T2V, Task.I2V, Task.EXTEND}),
    T2V: frozenset({Task.T2V}),
    I2V: frozenset({Task.I2V}),
}
_KIND = {DF: "diffusion forcing, long video", T2V: "text to video", I2V: "image to video"}


def _preset(name: str, variant: str, size: str, res: str, **kw: Any) -> Preset:
    width, height, frames = (1280, 720, 121) if res == "720p" else (960, 544, 97)
    repo = (
        None
        if size == "tiny"
        else f"Skywork/SkyReels-V2-{variant.upper()}-{size.upper()}-{res.upper()}-Diffusers"
    )
    model = dict(_SIZES[size])
    if variant == I2V and size != "tiny":
        model["parts_gib"] = {**model["parts_gib"], "image_encoder": _CLIP_GIB}
    defaults: dict[str, Any] = dict(
        width=width, height=height, num_frames=frames, fps=24.0, steps=30, tasks=_TASKS[variant], variant=variant,
        guidance=5.0 if variant == I2V else 6.0, rules=None if variant == DF else PLAIN_RULES,
        options={"base_num_frames": frames} if variant == DF else {},
        description=f"SkyReels-V2 {_KIND[variant]}, {res}", end_image=variant == DF, **model,
    )  # fmt: skip
    return Preset(name=name, family="skyreels", repo_id=repo, **(defaults | kw))


_TINY = dict(width=64, height=64, num_frames=17, steps=2)
# The tiny transformer's rotary table holds 32 positions a side (rope_max_seq_len=32 in tiny.py): past 32
# patches (512 px) or, in one window, 32 latent frames (125 frames) diffusers failed mid-run.
_TINY_DF_RULES = replace(DF_RULES, max_side=512)
_TINY_WINDOW = 125
_TINY_RULES = replace(PLAIN_RULES, max_side=512, max_frames=_TINY_WINDOW)
PRESETS = (
    _preset("skyreels-v2-df-1.3b", DF, "1.3b", "540p"),
    _preset("skyreels-v2-df-14b-540p", DF, "14b", "540p"),
    _preset("skyreels-v2-df-14b-720p", DF, "14b", "720p"),
    _preset("skyreels-v2-t2v-14b-540p", T2V, "14b", "540p"),
    _preset("skyreels-v2-t2v-14b-720p", T2V, "14b", "720p"),
    _preset("skyreels-v2-i2v-1.3b", I2V, "1.3b", "540p"),
    _preset("skyreels-v2-i2v-14b-540p", I2V, "14b", "540p"),
    _preset("skyreels-v2-i2v-14b-720p", I2V, "14b", "720p"),
    _preset(
        "skyreels-tiny", DF, "tiny", "540p", **_TINY, rules=_TINY_DF_RULES,
        description="tiny random SkyReels-V2 diffusion forcing for tests and offline demos",
        options={"base_num_frames": 17, "overlap_history": 5},
    ),
    _preset(
        "skyreels-i2v-tiny", I2V, "tiny", "540p", **_TINY, rules=_TINY_RULES,
        description="tiny random SkyReels-V2 image to video for tests and offline demos",
    ),
)  # fmt: skip


def check(preset: Preset, request: ResolvedRequest) -> None:
    """DF models check their windows; one-window models refuse what only DF models do."""
    if request.end_image and request.task is not Task.I2V:
        raise InvalidRequest(
            "end_image is the last frame of an image-to-video run; give a start image too (start_image)",
            param="end_image",
        )
    if preset.variant == DF:
        base = request.options_as(SkyReelsOptions).base_num_frames
        if preset.tiny and min(base, request.num_frames) > _TINY_WINDOW:  # one window past the table
            raise InvalidRequest(
                f"options.base_num_frames {base}: {preset.name} denoises at most {_TINY_WINDOW} "
                "frames at once (its rotary table); give that or fewer",
                param="options.base_num_frames",
            )
        check_windows(request, SPEC.label)
        return
    if request.end_image:
        raise InvalidRequest(
            f"end_image: {preset.name} starts from one image; to pin the last frame too use a diffusion-forcing "
            "model (skyreels-v2-df-1.3b or skyreels-tiny)",
            param="end_image",
        )
    options, defaults = request.options_as(SkyReelsOptions), SkyReelsOptions()
    changed = [k for k in WINDOW_OPTIONS if getattr(options, k) != getattr(defaults, k)]
    if changed:
        raise InvalidRequest(
            f"options {', '.join(changed)} apply to diffusion-forcing models only; "
            f"{preset.name} generates one window (try skyreels-v2-df-1.3b)",
            param=f"options.{changed[0]}",
        )


def working_gib(preset: Preset, request: ResolvedRequest) -> float:
    """Activation peak: one window in the transformer, or the Wan VAE decode, plus the decoded clip.

    Diffusion forcing denoises one window (``base_num_frames``) at a time,
    but decodes the whole video at the end and holds it in float32 twice
    (decoded and postprocessed), so long videos grow the clip term only.
    Extending decodes the reused tail twice more (given and re-rendered).
    """
    width, height, frames = request.width, request.height, request.num_frames
    window = frames
    if preset.variant == DF:
        options = request.options_as(SkyReelsOptions)
        if request.task is Task.EXTEND:
            frames = extend_frames(frames, options.overlap_history) + options.overlap_history
        window = min(frames, options.base_num_frames)
    tokens = latent_frames(window) * (height // 16) * (width // 16)
    dim, ffn = preset.dims
    transformer = tokens * (6 * dim + ffn) * 2 / GIB  # bf16 hidden states, q/k/v/out and the FFN
    vae_decode = width * height * 96 * 6 * 4 * 4 / GIB  # 96 channels, 6 cached frames, fp32, ~4 live
    return working_set_gib(width, height, frames, transformer, vae_decode)


SPEC = FamilySpec(
    family="skyreels",
    label="SkyReels-V2",
    presets=PRESETS,
    rules=DF_RULES,
    runner="reelgen.core.backends.skyreels.runner:SkyReelsRunner",
    tiny_builder="reelgen.core.backends.skyreels.tiny:build_tiny_pipeline",
    options=SkyReelsOptions,
    working_gib=working_gib,
    check=check,
)
