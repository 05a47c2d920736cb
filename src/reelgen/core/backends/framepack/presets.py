"""FramePack as data: presets, companion repos, options, section arithmetic, request checks, memory model."""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import Field

from reelgen.core.backends.hunyuan.presets import TrueCfgOptions, transformer_working_gib
from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.family import FamilySpec, Preset
from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.core.spec.rules import SizeRules

# Same lattice as HunyuanVideo: 16 px sides, 4k+1 frames.
RULES = SizeRules(label="FramePack", multiple=16, frame_step=4, frame_offset=1)

#: The HunyuanVideo checkpoint FramePack borrows its text encoders, tokenizers, VAE and scheduler from.
BASE_REPO = "hunyuanvideo-community/HunyuanVideo"
BASE_PARTS = ("text_encoder", "text_encoder_2", "tokenizer", "tokenizer_2", "vae", "scheduler")
#: FLUX Redux's SigLIP image encoder, which FramePack's transformer was trained against.
REDUX_REPO = "lllyasviel/flux_redux_bfl"
REDUX_PARTS = ("image_encoder", "feature_extractor")
#: What `reelgen pull framepack` fetches besides the transformer (the base's own 13B transformer is unused).
_COMPANIONS: dict[str, tuple[str, ...]] = {BASE_REPO: ("transformer/*",), REDUX_REPO: ()}

SamplingType = Literal["inverted_anti_drifting", "vanilla"]
ANTI_DRIFTING: SamplingType = "inverted_anti_drifting"


class FramePackOptions(TrueCfgOptions):
    """FramePack's sampling knobs."""

    sampling_type: SamplingType = Field(
        default=ANTI_DRIFTING,
        description="inverted_anti_drifting makes sections from the end backwards towards the start "
        "image (FramePack; also allows an end image); vanilla makes them forwards (FramePack-F1).",
    )
    latent_window_size: int = Field(
        default=9,
        ge=1,
        le=33,
        description="Latent frames made per section (4 video frames each); larger means fewer, "
        "longer sections with more memory per section.",
    )


#: Resident 16-bit sizes: FramePack transformer 12.9B params, LLaMA-3-8B text encoder 7.5B,
#: CLIP-L text encoder 123M, HunyuanVideo VAE 246M, SigLIP so400m image encoder 0.43B.
_PARTS = {
    "transformer": 23.98,
    "text_encoder": 13.98,
    "text_encoder_2": 0.23,
    "vae": 0.46,
    "image_encoder": 0.80,
}
_REAL: dict[str, Any] = dict(
    width=832,
    height=480,
    num_frames=145,
    fps=30.0,
    steps=30,
    guidance=9.0,
    parts_gib=_PARTS,
    dims=(3072, 12288),
    companions=_COMPANIONS,
)


def _preset(name: str, repo: str | None, **kw: Any) -> Preset:
    # Anti-drifting sampling makes sections backwards from the end, so it can pin a last frame;
    # F1's forward sampling cannot.
    takes_end = (kw.get("options") or {}).get("sampling_type", ANTI_DRIFTING) == ANTI_DRIFTING
    return Preset(
        name=name, family="framepack", repo_id=repo, tasks=frozenset({Task.I2V}), end_image=takes_end, **kw
    )


PRESETS = (
    _preset(
        "framepack",
        "lllyasviel/FramePackI2V_HY",
        description="FramePack (HunyuanVideo 13B): long image-to-video in sections, anti-drifting; "
        "optional end image",
        **_REAL,
    ),
    _preset(
        "framepack-f1",
        "lllyasviel/FramePack_F1_I2V_HY_20250503",
        options={"sampling_type": "vanilla"},
        description="FramePack-F1: forward-only sections, more dynamic motion; start image only",
        **_REAL,
    ),
    _preset(
        "framepack-tiny",
        None,
        tiny=True,
        options={"latent_window_size": 2},
        description="FramePack classes with tiny random weights, for tests and CPU demos",
        width=64,
        height=64,
        num_frames=9,
        fps=30.0,
        steps=2,
        guidance=9.0,
        parts_gib={part: 0.001 for part in _PARTS},
        dims=(20, 80),
    ),
)


def sections_for(num_frames: int, window: int) -> int:
    """How many sections make at least ``num_frames``: each adds ``4 * window`` frames to the first."""
    return max(1, math.ceil((num_frames - 1) / (4 * window)))


def check(preset: Preset, request: ResolvedRequest) -> None:
    """An end image needs backwards sections, and a clip that ends exactly on it."""
    options = request.options_as(FramePackOptions)
    if not request.end_image:
        return
    if options.sampling_type != ANTI_DRIFTING:
        raise InvalidRequest(
            "end_image needs options.sampling_type 'inverted_anti_drifting' (sections are made "
            "backwards from the end); vanilla sampling (FramePack-F1) takes a start image only",
            param="end_image",
        )
    # Extra frames are cut from the end, which would cut the end image off: the clip must fit exactly.
    step = 4 * options.latent_window_size
    frames = request.num_frames
    if (frames - 1) % step:
        below = (frames - 1) // step * step + 1
        near = [n for n in (below, below + step) if n > 1]
        raise InvalidRequest(
            f"num_frames: {frames} frames would cut off the end image; with one the clip must be {step}k+1 "
            f"(latent_window_size {options.latent_window_size}); nearest valid: "
            f"{' or '.join(str(n) for n in near)}",
            param="num_frames",
        )


def working_gib(preset: Preset, request: ResolvedRequest) -> float:
    """One section's activations: its window plus the packed history (about 5 latent frames' worth)."""
    window = request.options_as(FramePackOptions).latent_window_size
    return transformer_working_gib(request, dim=preset.dims[0], latent_frames=window + 5)


SPEC = FamilySpec(
    family="framepack",
    label="FramePack",
    presets=PRESETS,
    rules=RULES,
    runner="reelgen.core.backends.framepack.runner:FramePackRunner",
    tiny_builder="reelgen.core.backends.framepack.tiny:build_tiny_pipeline",
    options=FramePackOptions,
    working_gib=working_gib,
    check=check,
)
