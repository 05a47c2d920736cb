"""``GET /v1/models``: every model the registry knows, with its tasks, defaults, rules and what a form may offer."""

from __future__ import annotations

import difflib
import json
import math
from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from reelgen.api.errors import ApiError
from reelgen.api.lengths import shown
from reelgen.api.schemas import ErrorEnvelope, ModelObject
from reelgen.api.security import valid_id
from reelgen.core import weights
from reelgen.core.errors import ModelNotAvailable
from reelgen.core.spec import registry
from reelgen.core.spec.family import FamilySpec, Preset
from reelgen.core.spec.numbers import validate_options
from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.core.spec.rules import SizeRules

#: The app guards this router with the API key (app.py), so both routes may answer 401.
_UNAUTHORIZED: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorEnvelope, "description": "Missing or wrong API key"}
}
router = APIRouter(prefix="/v1", tags=["models"], responses=_UNAUTHORIZED)

#: Aspect ratios a form offers, as (label, width share, height share).
ASPECTS = (("16:9", 16, 9), ("9:16", 9, 16), ("1:1", 1, 1), ("4:3", 4, 3), ("3:4", 3, 4), ("21:9", 21, 9))
#: Clip lengths (seconds, at the model's own rate) a form offers, snapped to the model's frame rule.
SECONDS = (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20)
#: Frame rates a form offers besides the model's own; the model's is the one it was trained at.
COMMON_FPS = (8.0, 12.0, 16.0, 24.0, 25.0, 30.0)
#: A card this large runs every model with every part resident; "least" plans for a card of almost nothing.
_ROOMY_GIB, _TINY_GIB = 1e6, 1e-3


class SizeChoice(BaseModel):
    label: str = Field(description='Aspect ratio, e.g. "16:9"')
    size: str = Field(description='"WIDTHxHEIGHT" as the create body takes it')
    default: bool = False


class Choices(BaseModel):
    """Values a form may offer for this model; each passes its rules (other valid values exist)."""

    sizes: list[SizeChoice]
    num_frames: list[int] = Field(description="Frame counts on the model's frame rule, shortest first")
    fps: list[float] = Field(description="Frame rates; the model's own is in defaults.fps")


class Vram(BaseModel):
    """GPU memory, GiB, for a clip at the model's defaults."""

    weights_gib: float = Field(description="Every part of the model resident")
    full_gib: float = Field(description="Weights plus the run's working memory: the fastest placement")
    least_gib: float = Field(description="The leanest offload placement: the smallest card it may run on")


class Weights(BaseModel):
    """Whether this machine holds the model's weights, and how to get them when it does not."""

    present: bool
    origin: Literal["tiny", "bundled", "models-dir", "hf-cache", "local"] | None = Field(
        default=None, description="tiny and bundled models need no download"
    )
    pull_command: str | None = Field(
        default=None,
        description="The command that fetches the weights; null where it would not help (a tiny or built-in "
        "model, or a folder copied into the models folder only in part, which is looked in first)",
    )
    partial: bool = Field(
        default=False,
        description="Some of its files are here, not all: a download (or copy) stopped part-way; "
        "origin says where they lie, missing what they lack and advice how to finish them",
    )
    missing: list[str] = Field(
        default_factory=list,
        description="What a partial model lacks: its parts, files or the repos it also loads",
    )
    advice: str | None = Field(
        default=None,
        description="Why the weights cannot be used and what to do, in one line fit for a person: "
        "copy the rest of a hand-copied folder, pull again into the Hugging Face cache, or fetch them",
    )


class ModelCard(ModelObject):
    """A model with what a form needs: whether its weights are here, the memory it needs, the values to offer."""

    weights: Weights
    vram: Vram
    choices: Choices
    options: dict[str, Any] = Field(
        default_factory=dict,
        description="The model's own options: what a request that sets none is made with (the family's "
        "defaults with this model's); a video's parameters.options differs where its request set others",
    )
    reads_prompt: bool = Field(
        default=True,
        description="False for a model that reads no text (Stable Video Diffusion animates its start image "
        "alone): its prompt and negative prompt are kept in the record but do not steer the video",
    )


def weights_of(spec: FamilySpec, preset: Preset) -> Weights:
    """Where the weights are, found without building or loading anything (no torch in this process)."""
    pull = f"reelgen pull {preset.name}" if preset.repo_id and not preset.tiny else None
    if preset.tiny:  # built from seeded random weights on first use, never downloaded
        return Weights(present=True, origin="tiny")
    try:
        origin = weights.locate(spec, preset).origin
    except weights.PartlyDownloaded as exc:
        return Weights(
            present=False,
            origin=exc.origin,  # type: ignore[arg-type]
            pull_command=None if exc.origin == "models-dir" else pull,  # the copy there is looked in first
            partial=True,
            missing=exc.missing,
            advice=exc.message,
        )
    except ModelNotAvailable as exc:
        return Weights(present=False, pull_command=pull, advice=exc.message)
    return Weights(present=True, origin=origin, pull_command=pull)  # type: ignore[arg-type]


def require_weights(request: ResolvedRequest, ray_address: str | None) -> None:
    """Refuse, at submit, a model whose weights this server does not hold: workers never download,
    so its job could only fail later in the worker. Workers on a Ray cluster joined by address may
    run on other machines, with weights of their own: there the worker decides."""
    found = registry.presets().get(request.model)
    if ray_address or request.weights or found is None:
        return
    if found[1].tiny:  # built on first use from seeded weights; locating it here would build it (torch)
        return
    try:
        weights.locate(*found)
        return
    except weights.PartlyDownloaded as exc:
        # What finishes it depends on how it got there: a pull does not finish a folder copied by hand.
        problem = f"has only part of its weights on this server (missing: {', '.join(exc.missing)})"
        fix = f"where the server runs, {exc.fix}"
    except ModelNotAvailable:
        problem = "has no weights on this server"
        fix = f"fetch them where the server runs with: reelgen pull {request.model}"
    raise ApiError(
        400,
        f"model {request.model!r} {problem}, so its job could only fail; {fix}   (GET /v1/models says "
        "which models are here: weights.present)",
        param="model",
        code="model_not_available",
    )


def _defaults_request(spec: FamilySpec, preset: Preset) -> ResolvedRequest:
    return ResolvedRequest(
        model=preset.name,
        task=Task.T2V if Task.T2V in preset.tasks else sorted(preset.tasks)[0],
        prompt="",
        negative_prompt="",
        width=preset.width,
        height=preset.height,
        num_frames=preset.num_frames,
        fps=preset.fps,
        steps=preset.steps,
        guidance=preset.guidance,
        guidance_2=preset.guidance_2 if preset.guidance_2 is not None else preset.guidance,
        seed=0,
        options=spec.options.model_validate(preset.options),
    )


def vram_of(spec: FamilySpec, preset: Preset) -> Vram:
    request = _defaults_request(spec, preset)
    return Vram(
        weights_gib=preset.vram_gib,
        full_gib=round(spec.least_gib(preset, request, _ROOMY_GIB), 2),
        least_gib=round(spec.least_gib(preset, request, _TINY_GIB), 2),
    )


def _snap(value: float, rules: SizeRules) -> int:
    """The side nearest ``value`` on the model's size lattice, inside its limits."""
    m = rules.multiple
    low = math.ceil(rules.min_side / m) * m
    high = rules.max_side // m * m
    return min(high, max(low, round(value / m) * m))


def _aspect_label(width: int, height: int) -> str:
    near = min(ASPECTS, key=lambda a: abs(math.log((width / height) / (a[1] / a[2]))))
    if abs(math.log((width / height) / (near[1] / near[2]))) < 0.04:
        return near[0]
    g = math.gcd(width, height)
    return f"{width // g}:{height // g}"


def size_choices(preset: Preset, rules: SizeRules) -> list[SizeChoice]:
    """The default size first, then one size per aspect ratio at about the default's pixel count."""
    default = (preset.width, preset.height)
    if rules.fixed_sizes:
        return [
            SizeChoice(label=_aspect_label(w, h), size=f"{w}x{h}", default=(w, h) == default)
            for w, h in rules.fixed_sizes
        ]
    out = [SizeChoice(label=_aspect_label(*default), size=f"{default[0]}x{default[1]}", default=True)]
    area = preset.width * preset.height
    for _, a, b in ASPECTS:
        w, h = _snap(math.sqrt(area * a / b), rules), _snap(math.sqrt(area * b / a), rules)
        size = f"{w}x{h}"
        if all(c.size != size for c in out):
            out.append(SizeChoice(label=_aspect_label(w, h), size=size))
    return out


def frame_choices(preset: Preset, rules: SizeRules) -> list[int]:
    """Frame counts for about 1..20 seconds at the model's rate, each on its frame rule, and the default."""
    longest = (
        rules.max_frames if rules.max_frames is not None else max(preset.num_frames, round(20 * preset.fps))
    )
    counts = {preset.num_frames}
    for seconds in SECONDS:
        wanted = max(rules.min_frames, round(seconds * preset.fps))
        if wanted <= longest:  # past the longest clip, a length is not offered
            counts.add(rules.snap_frames(wanted))
    valid = set()
    for n in counts:
        try:
            rules.check_frames(n)
        except Exception:  # a count past the model's limits is simply not offered
            continue
        if n <= longest:
            valid.add(n)
    return sorted(valid)


def choices_of(spec: FamilySpec, preset: Preset) -> Choices:
    rules = spec.rules_for(preset)
    fps = sorted({float(preset.fps), *COMMON_FPS})
    return Choices(sizes=size_choices(preset, rules), num_frames=frame_choices(preset, rules), fps=fps)


def describe(spec: FamilySpec, preset: Preset) -> ModelObject:
    """A preset as the API shows it: what it does, what it defaults to, what it accepts."""
    return ModelObject(
        id=preset.name,
        owned_by=preset.repo_id.split("/")[0] if preset.repo_id else "reelgen",
        family=spec.family,
        description=preset.description,
        tasks=sorted(t.value for t in preset.tasks),
        defaults={
            "size": f"{preset.width}x{preset.height}",
            "num_frames": preset.num_frames,
            "fps": preset.fps,
            "seconds": round(preset.num_frames / preset.fps, 3),
            "num_inference_steps": preset.steps,
            "guidance_scale": preset.guidance,
            "guidance_scale_2": preset.guidance_2,
        },
        rules=spec.rules_for(preset).as_dict(),
        tiny=preset.tiny,
        supports_lora=spec.supports_lora,
        supports_end_image=preset.end_image,
        vram_gib=preset.vram_gib,
    )


def card(spec: FamilySpec, preset: Preset) -> ModelCard:
    """``describe`` plus whether the weights are here, the memory it needs and the values to offer."""
    # Read anew from its JSON: the card is its caller's to change, and must not change the next one.
    return ModelCard(**json.loads(_fixed_part(spec, preset)), weights=weights_of(spec, preset))


#: Each card's parts that follow from its family and preset alone, worked out once per preset (the spec
#: and preset are kept, so their ids stay theirs). Worked out on every GET /v1/models, which the page asks
#: at each load, they were 35 of a listing's 56 ms of CPU. ``weights`` is looked for each time: a pull
#: or a folder copied in changes it while the server runs.
_FIXED: dict[tuple[int, int], tuple[FamilySpec, Preset, str]] = {}


def _fixed_part(spec: FamilySpec, preset: Preset) -> str:
    kept = _FIXED.get((id(spec), id(preset)))
    if kept is None:
        part = {
            **describe(spec, preset).model_dump(mode="json"),
            "vram": vram_of(spec, preset).model_dump(mode="json"),
            "choices": choices_of(spec, preset).model_dump(mode="json"),
            "options": validate_options(spec.options, preset.options).model_dump(mode="json"),
            # Runner modules import torch only when they load a model, so asking one is cheap here.
            "reads_prompt": spec.runner_class().reads_prompt,
        }
        kept = _FIXED[(id(spec), id(preset))] = (spec, preset, json.dumps(part))
    return kept[2]


class ModelCardList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


@router.get("/models", response_model=ModelCardList, summary="List models and their capabilities")
def list_models() -> ModelCardList:
    presets = registry.presets()
    return ModelCardList(data=[card(*presets[name]) for name in sorted(presets)])


@router.get(
    "/models/{model_id}",
    response_model=ModelCard,
    summary="One model's capabilities",
    responses={404: {"model": ErrorEnvelope, "description": "No such model; GET /v1/models lists them"}},
)
def get_model(model_id: str) -> ModelCard:
    presets = registry.presets()
    if not valid_id(model_id.replace(".", "_")) or model_id not in presets:
        # The names it may mean, as a create body naming it is told: "LTX-TINY" got none here.
        by_lower = {name.lower(): name for name in presets} if valid_id(model_id.replace(".", "_")) else {}
        close = [
            by_lower[n] for n in difflib.get_close_matches(model_id.lower(), list(by_lower), n=3, cutoff=0.5)
        ]
        hint = f"did you mean {', '.join(close)}? " if close else ""
        raise ApiError(404, f"no model {shown(model_id)}; {hint}GET /v1/models lists them", param="model_id")
    return card(*presets[model_id])
