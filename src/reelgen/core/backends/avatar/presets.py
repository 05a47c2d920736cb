"""Talking-avatar models as data: reelgen's shipped lip-sync model, MuseTalk from the hub, and a tiny build."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.family import FamilySpec, Preset
from reelgen.core.spec.memory import GIB
from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.core.spec.rules import SizeRules

#: The output is the face source's size; frames are however many the voice lasts.
RULES = SizeRules(label="talking avatars", multiple=1, min_side=64, max_side=4096, frame_step=1, min_frames=1)


class AvatarOptions(BaseModel):
    """Options of the lip-sync models."""

    model_config = ConfigDict(extra="forbid")

    face_index: int | None = Field(
        default=None,
        ge=0,
        description="which face to animate, counted from the left from 0 (default: the largest)",
    )
    batch: int = Field(
        default=16, ge=1, le=256, description="frames per model pass: bounds memory on long voices"
    )


_COMMON = dict(
    family="avatar",
    tasks=frozenset({Task.AVATAR}),
    width=512,
    height=512,
    num_frames=25,
    fps=25.0,
    steps=1,
    guidance=0.0,
    rules=RULES,
)

#: The model that ships inside reelgen, so ``auto`` never needs a download.
BUILT_IN = "reelgen-lipsync"

PRESETS = (
    Preset(
        name="reelgen-lipsync",
        description="reelgen's own 4.7M-parameter lip-sync model trained on drawn faces and warped mouths; on real photos the mouth follows the voice but is soft and blurry (ships inside the package)",
        repo_id=None,
        parts_gib={"unet": 0.03, "vae": 0.01},
        dtype="float32",
        bundled="assets/lipsync",
        variant="folder",
        **_COMMON,  # type: ignore[arg-type]
    ),
    Preset(
        name="musetalk",
        description="MuseTalk 1.5 (TMElyralab): SD-VAE latents inpainted by a UNet on Whisper-tiny features, 256 px crops",
        repo_id="TMElyralab/MuseTalk",
        parts_gib={"unet": 1.6, "vae": 0.16, "audio_encoder": 0.02},
        dtype="float16",
        variant="musetalk",
        companions={"stabilityai/sd-vae-ft-mse": (), "openai/whisper-tiny": ("*.msgpack", "*.h5", "*.ot")},
        **_COMMON,  # type: ignore[arg-type]
    ),
    Preset(
        name="musetalk-tiny",
        description="MuseTalk-style lip-sync with tiny random weights (tests; built locally)",
        repo_id=None,
        parts_gib={"unet": 0.001, "vae": 0.001},
        dtype="float32",
        tiny=True,
        variant="folder",
        **_COMMON,  # type: ignore[arg-type]
    ),
)


def pick_model(name: str) -> str:
    """``auto``: MuseTalk when its weights (and companions) are cached here, else the built-in model.

    Any other name must be a talking-avatar model: an unknown one listed every model of every family.
    """
    names = [p.name for p in PRESETS]
    if name != "auto" and name not in names:
        raise InvalidRequest(
            f"{name!r} is not a talking-avatar model; give one of {', '.join(names)}, or auto", param="model"
        )
    if name != "auto":
        return name
    from reelgen.core.backends import companions

    musetalk = next(p for p in PRESETS if p.variant == "musetalk")
    needed = [musetalk.repo_id or "", *musetalk.companions]
    if all(companions.cached(repo) for repo in needed):
        return musetalk.name
    return BUILT_IN


def working_gib(preset: Preset, request: ResolvedRequest) -> float:
    """One batch of crops through VAE and UNet, plus the frames held in host memory (not on the GPU)."""
    batch = request.options_as(AvatarOptions).batch
    crop = 256 if preset.variant == "musetalk" else 128
    return round(0.5 + batch * crop * crop * 3 * 4 * 48 / GIB, 3)


SPEC = FamilySpec(
    family="avatar",
    label="Talking avatars",
    presets=PRESETS,
    rules=RULES,
    runner="reelgen.core.backends.avatar.runner:AvatarRunner",
    tiny_builder="reelgen.core.backends.avatar.build:build_tiny",
    options=AvatarOptions,
    supports_lora=False,
    tiny_version=2,
    working_gib=working_gib,
)
