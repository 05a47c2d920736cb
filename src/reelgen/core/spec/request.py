"""The two shapes of a request: what a person asks for, and the same request resolved against its model.

``GenerationRequest`` is what the CLI and the API take in: every field but the
model may be left out. ``resolve()`` turns it into a ``ResolvedRequest`` exactly
once, at the edge; from there on (job store, dispatcher, worker, ``render()``,
replay) nothing is optional that has a default, and nothing is resolved again.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializeAsAny,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonDict

from reelgen.core.errors import InvalidRequest
from reelgen.core.nul_text import request_without_nul
from reelgen.core.rates import parse_rate
from reelgen.core.spec.lora_once import loras_once
from reelgen.core.spec.numbers import NumberFields, validate_options

#: Seeds are stored as signed 64-bit integers (SQL BIGINT); this is the one place the limit lives.
SEED_LIMIT = 2**63
#: The largest width or height, frame count, frame rate, step count and guidance a request may ask
#: for; a resolved request (a record replayed) is held to the same.
MAX_SIDE, MAX_FRAMES, MAX_FPS, MAX_STEPS, MAX_GUIDANCE = 16_384, 100_000, 240, 1000, 100
MIN_FPS = 0.01  # below it an MP4 at 1e-10 fps was written at 24, a GIF held 655 s a frame, LTX made NaN


def slow_rate(value: float | None) -> float | None:
    """Refuse a frame rate above 0 but below ``MIN_FPS`` (0 and below keep pydantic's own words)."""
    if value is not None and value < MIN_FPS:
        raise ValueError(f"{value:g} is slower than a frame per 100 s; give from {MIN_FPS} to {MAX_FPS}")
    return value


#: Marks a field that names an input file: it travels to workers by value and is hashed in records.
INPUT_FILE: JsonDict = {"x-input-file": True}

#: The most reference images a request carries (Wan VACE's reference-image conditioning).
MAX_REFERENCE_IMAGES = 3
#: The most characters a prompt or negative prompt holds.
MAX_PROMPT_CHARS = 20_000

_Options = TypeVar("_Options", bound=BaseModel)


class Task(StrEnum):
    """What a request asks the model to do."""

    T2V = "t2v"  # text to video
    I2V = "i2v"  # start image (and optionally end image) to video
    V2V = "v2v"  # restyle a source video
    KEYFRAMES = "keyframes"  # images pinned at frame indices
    EXTEND = "extend"  # continue a source clip forward: the output holds only the new frames
    AUDIO = "audio"  # video with generated sound
    AVATAR = "avatar"  # talking head from a face and a voice


class Keyframe(NumberFields):
    """An image the video must pass through at ``frame``, with conditioning ``strength``."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    image: str = Field(json_schema_extra=INPUT_FILE)
    frame: int = Field(ge=0)
    strength: float = Field(default=1.0, ge=0.0, le=1.0)


#: The strongest a LoRA is applied, either way (1 applies it as trained): far past it the frames are noise,
#: and 8 for 0.8 is a slip worth refusing before a model loads. The API's create body takes the same.
MAX_LORA_STRENGTH = 5.0


class LoraSpec(NumberFields):
    """A LoRA file applied with ``strength``."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    path: str
    strength: float = Field(default=1.0, ge=-MAX_LORA_STRENGTH, le=MAX_LORA_STRENGTH)
    weight_name: str | None = None


class EnhanceStep(BaseModel):
    """One stage of the enhancement chain run on the generated frames (interpolate, upscale ...).

    ``name`` is an enhancer registered in the ``reelgen.enhancers`` entry-point group.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=64)
    options: dict[str, Any] = Field(default_factory=dict)


class NoOptions(BaseModel):
    """Options model of a family that takes no extra options."""

    model_config = ConfigDict(extra="forbid")


def rate_as_written(value: Any) -> Any:
    """``target_fps`` given as text ('60000/1001', '59.94'), as the command line takes it, as its number."""
    if not isinstance(value, str):
        return value
    try:
        return float(parse_rate(value))  # NTSC decimals snap back to N000/1001 when the step is made
    except ValueError:
        raise ValueError(f"{value!r} is not a frame rate; give e.g. 60, 59.94 or 60000/1001") from None


def file_named(value: str | None) -> str | None:
    """An input file field's value, refused when empty: taken as left out, ``""`` turned an
    image-to-video request into a text-to-video one without a word."""
    if value is not None and not value.strip():
        raise ValueError("an empty name; give a file, or leave it out")
    return value


class GenerationRequest(NumberFields):
    """Everything that decides a video, as a person gives it. Unset fields take the model's defaults.

    Images and videos are referenced by path so a request serialises to JSON
    and can be replayed from an MP4's metadata. Aliases are the OpenAI-style
    wire names the HTTP API uses (``num_inference_steps`` for ``steps``).
    """

    # NaN and infinity are refused as such ("a finite number"); NaN slipped past every bound's
    # comparison and was reported against the bound instead.
    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)

    model: str = Field(max_length=200, description="Model id (see `reelgen models` or GET /v1/models)")
    prompt: str = Field(default="", max_length=MAX_PROMPT_CHARS)
    task: Task | None = Field(
        default=None, description="Default: keyframes, v2v or i2v when those inputs are given, else t2v"
    )
    negative_prompt: str | None = Field(default=None, max_length=MAX_PROMPT_CHARS)
    width: int | None = Field(default=None, gt=0, le=MAX_SIDE)
    height: int | None = Field(default=None, gt=0, le=MAX_SIDE)
    num_frames: int | None = Field(default=None, gt=0, le=MAX_FRAMES)
    seconds: float | None = Field(default=None, gt=0, le=3600)
    fps: float | None = Field(default=None, gt=0, le=MAX_FPS)
    steps: int | None = Field(default=None, gt=0, le=MAX_STEPS, alias="num_inference_steps")
    guidance: float | None = Field(default=None, ge=0, le=MAX_GUIDANCE, alias="guidance_scale")
    guidance_2: float | None = Field(
        default=None,
        ge=0,
        le=MAX_GUIDANCE,
        alias="guidance_scale_2",
        description="Wan 2.2 A14B low-noise expert",
    )
    seed: int | None = Field(default=None, ge=0, lt=SEED_LIMIT)
    start_image: str | None = Field(default=None, json_schema_extra=INPUT_FILE)
    end_image: str | None = Field(default=None, json_schema_extra=INPUT_FILE)
    keyframes: list[Keyframe] = Field(default_factory=list)
    reference_images: list[str] = Field(
        default_factory=list,
        max_length=MAX_REFERENCE_IMAGES,
        json_schema_extra=INPUT_FILE,
        description="Images of people, objects or styles the video should show (models that take them)",
    )
    source_video: str | None = Field(default=None, json_schema_extra=INPUT_FILE)
    source_strength: float = Field(default=0.7, ge=0.0, le=1.0)
    loras: list[LoraSpec] = Field(default_factory=list)
    weights: str | None = None
    audio: bool = True
    speech_audio: str | None = Field(
        default=None, json_schema_extra=INPUT_FILE, description="The voice an avatar speaks (task avatar)"
    )
    speech_text: str | None = Field(
        default=None, max_length=5000, description="Text an avatar speaks, voiced by a Piper voice first"
    )
    voice: str | None = Field(
        default=None,
        max_length=1000,
        description="Piper voice for speech_text: en_US-joe-medium or a .onnx path",
    )
    options: dict[str, Any] = Field(default_factory=dict)
    enhance: list[EnhanceStep] = Field(default_factory=list)
    interpolate: int | None = Field(
        default=None, ge=2, le=16, description="Multiply the frame rate after generation (2, 4 ...)"
    )
    target_fps: float | None = Field(
        default=None,
        gt=0,
        le=1000,
        description="Interpolate to this exact rate instead of by a factor: 60, 59.94 or the text '60000/1001'",
    )
    interpolator: str | None = Field(
        default=None,
        max_length=64,
        description="auto (default: rife when its weights are pulled, else flow), rife, flow",
    )
    upscale: float | None = Field(default=None, gt=1, le=8, description="Upscale after generation (2, 4 ...)")
    upscaler: str | None = Field(
        default=None,
        max_length=4096,
        description="auto (default: Real-ESRGAN when pulled, else lanczos), esrgan, lanczos, a Real-ESRGAN model "
        "name or an upscaler checkpoint file",
    )

    @field_validator("target_fps", mode="before")
    @classmethod
    def _rate_as_written(cls, value: Any) -> Any:
        return rate_as_written(value)

    @field_validator("seed", mode="before")
    @classmethod
    def _no_random_sentinel(cls, value: Any) -> Any:
        # Wan2GP and Automatic1111 take -1 for "random"; here it read only "greater than or equal to 0".
        if isinstance(value, int) and not isinstance(value, bool) and value < 0:
            raise ValueError(
                f"{value} does not mean random here: give a whole number from 0 to 2^63-1, or leave "
                "the seed out for a random one (the video's record holds the seed it got)"
            )
        return value

    _file_named = field_validator("start_image", "end_image", "source_video", "speech_audio")(file_named)
    _slow_rate = field_validator("fps")(slow_rate)
    _loras_once = field_validator("loras")(loras_once)

    @field_validator("model")
    @classmethod
    def _model_named(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("model must name a model, e.g. 'ltx-tiny' (see `reelgen models`)")
        return value.strip()

    _no_nul = model_validator(mode="before")(request_without_nul)

    @model_validator(mode="after")
    def _frames_or_seconds(self) -> GenerationRequest:
        if self.num_frames is not None and self.seconds is not None:
            raise ValueError("give a frame count (num_frames) or a length (seconds), not both")
        return self

    def inferred_task(self) -> Task:
        """The task asked for, or the one the given inputs imply."""
        if self.task is not None:
            return self.task
        if self.speech_audio or self.speech_text:
            return Task.AVATAR
        if self.keyframes:
            return Task.KEYFRAMES
        if self.source_video:
            return Task.V2V
        if self.start_image:
            return Task.I2V
        return Task.T2V


class ResolvedRequest(NumberFields):
    """A request checked against its model with every default filled in: it alone reproduces a video.

    Input file paths are absolute. ``options`` is the family's own options model
    (``WanOptions`` ...), complete with its defaults; read it with ``options_as``.
    """

    # Finite and within the request's own limits: a record edited by hand to steps 10**9 or guidance
    # Infinity replayed (for days, or into NaN frames) instead of being refused.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    model: str
    task: Task
    prompt: str
    negative_prompt: str
    width: int = Field(gt=0, le=MAX_SIDE)
    height: int = Field(gt=0, le=MAX_SIDE)
    num_frames: int = Field(gt=0, le=MAX_FRAMES)
    fps: float = Field(gt=0, le=MAX_FPS)
    steps: int = Field(gt=0, le=MAX_STEPS)
    guidance: float = Field(ge=0, le=MAX_GUIDANCE)
    guidance_2: float = Field(ge=0, le=MAX_GUIDANCE)
    seed: int = Field(ge=0, lt=SEED_LIMIT)
    start_image: str | None = Field(default=None, json_schema_extra=INPUT_FILE)
    end_image: str | None = Field(default=None, json_schema_extra=INPUT_FILE)
    keyframes: tuple[Keyframe, ...] = ()
    reference_images: tuple[str, ...] = Field(
        default=(), max_length=MAX_REFERENCE_IMAGES, json_schema_extra=INPUT_FILE
    )
    source_video: str | None = Field(default=None, json_schema_extra=INPUT_FILE)
    source_strength: float = Field(default=0.7, ge=0.0, le=1.0)
    loras: tuple[LoraSpec, ...] = ()
    weights: str | None = None
    audio: bool = True
    speech_audio: str | None = Field(default=None, json_schema_extra=INPUT_FILE)
    speech_text: str = ""
    voice: str = ""
    # Left out, the options are the family's defaults: ``_typed_options`` makes them from {}.
    options: SerializeAsAny[BaseModel] = Field(default_factory=dict, validate_default=True)
    enhance: tuple[EnhanceStep, ...] = ()

    _slow_rate = field_validator("fps")(slow_rate)
    _no_nul = model_validator(mode="before")(request_without_nul)  # a record edited by hand, too

    @field_validator("options", mode="before")
    @classmethod
    def _typed_options(cls, value: Any, info: ValidationInfo) -> Any:
        """Options stored as JSON come back as the family's options model, looked up by model name.

        A field validator, so a bad option is named where it sits (``options.flow_shift``).
        """
        if isinstance(value, BaseModel):
            return value
        from reelgen.core.spec import registry

        options_model = registry.options_model(str(info.data.get("model", "")))
        if not isinstance(value, dict | None):
            return value  # not an object: said as such by the field's own type
        return validate_options(options_model, value or {})

    @property
    def seconds(self) -> float:
        return self.num_frames / self.fps

    def options_as(self, model: type[_Options]) -> _Options:
        """The options as the family's model; a family asking for another family's model is a bug."""
        if not isinstance(self.options, model):
            raise TypeError(f"{self.model} carries {type(self.options).__name__}, not {model.__name__}")
        return self.options

    def input_files(self) -> list[tuple[str, str]]:
        """Every input file the request names, as (parameter, path): images, keyframes, source video."""
        return list(_walk_inputs(self, ""))

    def with_input_files(self, paths: dict[str, str]) -> ResolvedRequest:
        """A copy whose input files at the given parameters point at new paths (a worker's copies)."""
        data = self.model_dump(mode="python")
        for param, path in paths.items():
            _set_path(data, param, path)
        data["options"] = self.options
        return ResolvedRequest.model_validate(data)


def _walk_inputs(model: BaseModel, prefix: str) -> Iterator[tuple[str, str]]:
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        if field.json_schema_extra == INPUT_FILE:
            if isinstance(value, tuple | list):
                for i, path in enumerate(value):
                    yield f"{prefix}{name}[{i}]", str(path)
            elif value:
                yield f"{prefix}{name}", str(value)
        elif isinstance(value, tuple | list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _walk_inputs(item, f"{prefix}{name}[{i}].")


def _set_path(data: dict[str, Any], param: str, path: str) -> None:
    """Set ``data`` at ``keyframes[0].image``-style ``param``."""
    head, _, rest = param.partition(".")
    if "[" not in head:
        data[head] = path
        return
    name, index = head[:-1].split("[")
    items = data[name] = list(data[name])
    if rest:
        _set_path(items[int(index)], rest, path)
    else:
        items[int(index)] = path


def walk_input_files(data: dict[str, Any]) -> list[str]:
    """Input file paths in a request stored as JSON, without validating it (retention, cleanup)."""
    paths: list[str] = []
    for name, field in ResolvedRequest.model_fields.items():
        value = data.get(name)
        if field.json_schema_extra == INPUT_FILE and isinstance(value, str):
            paths.append(value)
        elif field.json_schema_extra == INPUT_FILE and isinstance(value, list | tuple):
            paths.extend(v for v in value if isinstance(v, str))
    for key in data.get("keyframes") or []:
        if isinstance(key, dict) and isinstance(key.get("image"), str):
            paths.append(key["image"])
    return paths


def strength_without_video() -> InvalidRequest:
    """A source strength given without a source clip: it would repaint nothing, and be dropped unsaid."""
    return InvalidRequest(
        "source_strength: sets how much of the source clip (source_video) is repainted; "
        "give that clip too, or leave it out",
        param="source_strength",
    )
