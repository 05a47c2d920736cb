"""The create and remix bodies, derived from the core's ``GenerationRequest`` (``wire_request`` maps them back).

The fields offered (``CREATE_FIELDS``, an allow-list of names) appear on the
wire with the core's own type, limits, description and wire alias
(``num_inference_steps`` for ``steps``, ``guidance_scale`` for ``guidance``);
both names are accepted. The API's own: ``size`` ("WxH") for width and
height, OpenAI's string ``seconds``, ``input_reference`` and ``end_reference``,
``keyframes`` and ``loras`` in their wire shapes (images uploaded or fetched,
LoRAs named inside the server's LoRA folder), priority, metadata and webhook.
Core fields that name files or folders on the server (``SERVER_SIDE``) are
refused with a 400 saying what to send instead: inputs arrive as uploads.
"""

from __future__ import annotations

import copy
import json
import math
import sys
from collections.abc import Mapping
from types import MappingProxyType
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model, field_validator

from reelgen.api.enhance_fields import ENHANCE_FIELDS, rate_in_range
from reelgen.api.errors import (
    A_FIELD_NAME,
    HALF_CHARACTER,
    ApiError,
    half_character_at,
    with_known_fields,
)
from reelgen.api.form_files import refuse_text_for_files
from reelgen.api.lengths import MAX_SECONDS, refuse_other_names
from reelgen.api.schemas import (
    MAX_KEYFRAMES,
    MAX_LORAS,
    ImageReference,
    KeyframeSpec,
    LoraChoice,
    WebhookSpec,
)
from reelgen.core.errors import field_path, from_validation_error
from reelgen.core.nul_text import nul_at
from reelgen.core.spec.numbers import NumberFields
from reelgen.core.spec.request import INPUT_FILE, GenerationRequest
from reelgen.core.validation_words import shown, too_long

_CORE = GenerationRequest.model_fields

#: Core fields a create body offers, by name; their types, limits and aliases come from the core.
#: An allow-list: a field added to the core later (which may name a server file) is not exposed
#: until it is listed here.
CREATE_FIELDS = (
    "model",
    "prompt",
    "task",
    "negative_prompt",
    "num_frames",
    "fps",
    "steps",
    "guidance",
    "guidance_2",
    "seed",
    "source_strength",
    "audio",
    "options",
    *ENHANCE_FIELDS,  # generate, then interpolate/upscale; ``upscaler`` by name only (enhance_fields)
)
#: Core fields the wire writes its own way: ``size`` ("WxH") and OpenAI's string ``seconds``.
REWRITTEN = frozenset({"width", "height", "seconds"})
#: Core fields a create body takes in a shape of its own: keyframes without server paths (their
#: images are uploads), LoRAs by name in the server's LoRA folder.
WIRE_SHAPED = ("keyframes", "loras")
#: Every core field name a create body takes.
CREATE_OFFERED = (*CREATE_FIELDS, *WIRE_SHAPED)
#: Core fields a remix may change.
REMIX_FIELDS = ("prompt", "negative_prompt", "seed", "steps", "guidance")
#: What a client sends instead of a core field that names files on the server.
_INSTEAD = {
    "start_image": "send the image as input_reference (a multipart file, or an image_url)",
    "end_image": "upload it as the multipart file field end_image, or give end_reference.image_url",
    "source_video": "upload it as the multipart file field source_video",
    "weights": "use a model from GET /v1/models",
}
#: Keys inside the wire-shaped lists that would name server files, and what to send instead.
_NESTED_INSTEAD = {
    ("keyframes", "image"): "upload it as a keyframe_images file (one per keyframe, in order), "
    "or give keyframes[i].image_url",
    ("loras", "path"): "name a file of the server's LoRA folder as loras[i].name (GET /v1/loras lists them)",
}
#: Core fields that name files or folders on the server.
SERVER_SIDE = frozenset(
    {name for name, info in _CORE.items() if info.json_schema_extra == INPUT_FILE}
    | {"keyframes", "loras", "weights"}
)


#: What each object or list field of a create takes, with an example: a form sends it as JSON text,
#: and "must be JSON (an object, or a list of them)" told keyframes an object would do, webhook a list.
JSON_SHAPES: Mapping[str, str] = MappingProxyType(
    {
        "keyframes": 'a JSON list of objects, e.g. [{"frame": 0, "strength": 1.0}]',
        "loras": 'a JSON list of objects, e.g. [{"name": "style.safetensors", "strength": 0.8}]',
        "webhook": 'a JSON object, e.g. {"url": "https://example.com/hook"}',
        "metadata": 'a JSON object of text values, e.g. {"project": "spring"}',
        "options": 'a JSON object, e.g. {"flow_shift": 3.0}',
        "input_reference": 'a JSON object, e.g. {"image_url": "https://example.com/a.png"}',
        "end_reference": 'a JSON object, e.g. {"image_url": "https://example.com/a.png"}',
    }
)


class JsonBody(dict[str, Any]):
    """A request body that came as JSON: its values keep their JSON types, so they are checked
    strictly (``num_frames: true`` or ``seed: "5"`` is a 400, not coerced). Form fields are
    text by nature and are read leniently."""


def _core(name: str, *, required: bool = False, optional: bool = False) -> tuple[Any, Any]:
    """The core field ``name`` for a wire model: its type, limits, alias and description.

    ``required`` / ``optional`` turn a text field's default into the wire's: required, or None.
    """
    info = _CORE[name]
    if not (required or optional):
        return info.annotation, copy.copy(info)
    text: Any = Annotated[(str, *info.metadata)]
    if optional:
        return text | None, Field(default=None, description=info.description)
    return text, Field(description=info.description)


class _Wire(NumberFields):  # true or false given for a number is refused, in JSON and in forms
    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)

    @field_validator("target_fps", mode="before", check_fields=False)  # declared by each wire model
    @classmethod
    def _rate_as_written(cls, value: Any) -> Any:
        return rate_in_range(value)  # "60000/1001" as the command line and the enhance routes take it

    @field_validator("seed", mode="before", check_fields=False)
    @classmethod
    def _seed(cls, value: Any) -> Any:
        return no_random_sentinel(value)


def no_random_sentinel(
    seed: Any, left_out: str = "for a random one (each video's answer holds the seed it got)"
) -> Any:
    """A negative seed refused as the "random" it means elsewhere: Wan2GP and Automatic1111 take -1
    for a random seed, and here it was only "Input should be greater than or equal to 0".
    ``left_out``: what a body without a seed gets."""
    if isinstance(seed, int | str) and str(seed).strip().startswith("-"):
        raise ValueError(
            f"{str(seed).strip()} does not mean random here: give a whole number from 0 to 2^63-1, or "
            f"leave seed out {left_out}"
        )
    return seed


def blank_model(value: str) -> str:
    """What a create whose ``model`` is empty or only spaces is told: the models to pick from."""
    from reelgen.core.spec import registry

    firsts, does = registry.first_models()  # not the avatar-only reelgen-lipsync: this makes a video
    return (
        f"{value!r} names no model; give a model id of GET /v1/models, such as {', '.join(firsts)} (the first "
        f"of each family that {does}; that list has all {len(registry.presets())}), or leave model out for "
        "the server's default"
    )


class _CreateExtras(_Wire):
    """The fields only the API has: OpenAI's size, seconds and input_reference, then reelgen's."""

    size: str | None = Field(default=None, description='"WIDTHxHEIGHT", e.g. "832x480"')
    seconds: str | float | None = Field(default=None, description='Clip length, e.g. "4" or 2.5')
    input_reference: ImageReference | None = None
    end_reference: ImageReference | None = Field(
        default=None, description="The last frame (models with supports_end_image); or the file end_image"
    )
    keyframes: list[KeyframeSpec] | None = Field(
        default=None,
        max_length=MAX_KEYFRAMES,
        description="Images pinned at frames (task keyframes). In multipart, a JSON text field; each "
        "entry without an image_url takes the next keyframe_images file, in order",
    )
    loras: list[LoraChoice] | None = Field(
        default=None,
        max_length=MAX_LORAS,
        description="LoRAs of the server's LoRA folder by name (GET /v1/loras), each with a strength",
    )
    priority: int = Field(default=0, ge=-1000, le=1000, description="Higher runs first")
    metadata: dict[str, str] | None = None
    webhook: WebhookSpec | None = None

    @field_validator("model", mode="before", check_fields=False)  # declared by create_model below
    @classmethod
    def _model_named(cls, value: Any) -> Any:
        # "" was taken as left out (the default model queued, 202), while "  " was refused naming no model.
        if isinstance(value, str) and not value.strip():
            raise ValueError(blank_model(value))
        return value

    @field_validator("seconds", mode="before")
    @classmethod
    def _seconds_text_or_number(cls, value: object) -> object:
        # Checked before the union, whose errors name a branch ("seconds.str: ... valid string").
        if isinstance(value, float) and not math.isfinite(value):  # JSON's NaN failed both branches
            raise ValueError(
                f'{value} is not a finite number; give one above 0 and at most {MAX_SECONDS}, e.g. "4"'
            )
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > sys.float_info.max:
            raise ValueError(  # no float holds it, so it failed both branches too
                f"a whole number of {len(str(abs(value)))} digits is no length; give one above 0 and at "
                f'most {MAX_SECONDS}, e.g. "4"'
            )
        if value is None or (isinstance(value, str | int | float) and not isinstance(value, bool)):
            return value
        raise ValueError('should be a number or the text of one, e.g. "4" or 2.5')

    @field_validator("metadata")
    @classmethod
    def _small_metadata(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        if value is not None and (
            len(value) > 16 or any(len(k) > 64 or len(v) > 512 for k, v in value.items())
        ):
            raise ValueError("metadata holds at most 16 keys of 64 chars with values of 512 chars")
        return value


def _fields(names: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in names:
        if name == "prompt":
            out[name] = _core(name, required=True)  # OpenAI's create and remix require a prompt
        elif name == "model":
            annotation, _field = _core(name, optional=True)  # the server's default model when left out
            out[name] = (
                annotation,
                Field(
                    default=None,
                    description="Model id (GET /v1/models; one whose weights are not on the server is a 400). "
                    "Left out, or auto: a real model whose weights are on the server, else the built-in "
                    "reelgen-micro (REELGEN_DEFAULT_MODEL changes it)",
                ),
            )
        else:
            out[name] = _core(name)
    return out


VideoCreate = create_model(
    "VideoCreate",
    __base__=_CreateExtras,
    __doc__="``POST /v1/videos``: OpenAI's fields, then reelgen's (SDKs send them through ``extra_body``).",
    **_fields(CREATE_FIELDS),
)


class _RemixExtras(_Wire):
    priority: int | None = Field(default=None, ge=-1000, le=1000)

    @field_validator("seed", mode="before", check_fields=False)
    @classmethod
    def _seed(cls, value: Any) -> Any:
        """A remix with no seed keeps the remixed video's: "leave seed out for a random one" was untrue."""
        return no_random_sentinel(value, left_out="to keep the remixed video's seed")


VideoRemix = create_model(
    "VideoRemix",
    __base__=_RemixExtras,
    __doc__="``POST /v1/videos/{id}/remix``: a new prompt, and optionally other fields to override.",
    **_fields(REMIX_FIELDS),
)


def _wire_names(model: type[BaseModel]) -> frozenset[str]:
    """Every key a body of ``model`` may use: field names and their wire aliases."""
    return frozenset(n for name, f in model.model_fields.items() for n in (name, f.alias) if n is not None)


def refuse_unremixable(data: dict[str, Any]) -> None:
    """A 400 naming the first create or core field of a remix body that a remix cannot change (``model``,
    ``size``, ``start_image`` ...): they come from the video remixed; "not offered over HTTP" would be
    untrue, and "send it as input_reference" sent the client to a field a remix refuses."""
    remix = _wire_names(VideoRemix)
    for key in data:
        if (key in _wire_names(VideoCreate) or key in _CORE) and key not in remix:
            raise ApiError(
                400,
                f"{key} cannot change in a remix: it stays the remixed video's; a remix may set "
                "prompt, negative_prompt, seed, num_inference_steps, guidance_scale and priority "
                "(POST /v1/videos makes a video with another)",
                param=key,
                code="invalid_value",
            )


def refuse_server_side(data: dict[str, Any], offered: tuple[str, ...] = CREATE_OFFERED) -> None:
    """A 400 naming the first core field of ``data`` the wire does not offer, saying why."""
    for key in data:
        if key not in _CORE or key in offered or key in REWRITTEN:
            continue
        if key in SERVER_SIDE:
            instead = _INSTEAD.get(key, "it is not offered over HTTP")
            message = f"{key} names files on the server and cannot be set over HTTP; {instead}"
        else:
            message = (
                f"{key} is not offered over HTTP yet; valid parameters: see VideoCreate in /openapi.json"
            )
        raise ApiError(400, message, param=key, code="server_side_parameter")


def refuse_characters(model: type[BaseModel], data: dict[str, Any]) -> None:
    """A 400 for OpenAI's ``character_ids``, which "is not a known field" left a client to guess about."""
    if "character_ids" in data and "character_ids" not in model.model_fields:
        raise ApiError(
            400,
            "character_ids: reelgen does not offer OpenAI's characters; leave it out and give a start image "
            "as input_reference, or make a talking head with POST /v1/avatars",
            param="character_ids",
            code="invalid_value",
        )


def refuse_nested_paths(model: type[BaseModel], data: dict[str, Any]) -> None:
    """A 400 naming the first server path inside a wire-shaped list ``model`` takes (``loras[0].path``)."""
    for (key, inner), instead in _NESTED_INSTEAD.items():
        items = data.get(key) if key in model.model_fields else None
        for i, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict) and inner in item:
                raise ApiError(
                    400,
                    f"{key}[{i}].{inner} names a file on the server and cannot be set over HTTP; {instead}",
                    param=f"{key}[{i}].{inner}",
                    code="server_side_parameter",
                )


def refuse_nul(value: Any, where: str = "") -> None:
    """A 400 naming the first text in ``value`` that holds a NUL character (no database stores one)."""
    path = nul_at(value, where)
    if path is not None:
        raise ApiError(
            400, f"{path or 'body'} contains a NUL character (\\u0000); remove it", param=path or None
        )


def parse_body(
    model: type[BaseModel],
    data: dict[str, Any],
    offered: tuple[str, ...] = CREATE_OFFERED,
    files: tuple[str, ...] = (),
) -> Any:
    """``data`` as the wire ``model``; the first problem becomes a 400 naming its parameter.

    A ``JsonBody`` is validated strictly, as JSON: no value changes its type on the way in. ``files``
    are the file fields a multipart form of it takes, named among the valid fields of a form.
    """
    refuse_nul(data)
    half = half_character_at(data)
    if half is not None:  # read strictly, it was "Invalid JSON: unexpected end of hex escape", naming none
        param = None if half == A_FIELD_NAME else half
        raise ApiError(400, f"{half} {HALF_CHARACTER}", param=param, code="invalid_value")
    refuse_other_names(model.model_fields, data)
    refuse_characters(model, data)
    if not isinstance(data, JsonBody):
        refuse_text_for_files(data, files)
    refuse_server_side(data, offered)
    refuse_nested_paths(model, data)
    try:
        if isinstance(data, JsonBody):
            return model.model_validate_json(json.dumps(data), strict=True)
        return model.model_validate(data, strict=False)
    except ValidationError as exc:
        first = exc.errors()[0]
        shape = JSON_SHAPES.get(field_path(first["loc"]))
        # A list field with no shape of its own here (webhook.events given "completed") is shown one
        # built from its type; one with its own is not shown two.
        err = from_validation_error(exc, model=model, lists=shape is None)
        form_files = () if isinstance(data, JsonBody) else files
        message = with_known_fields(err.message, tuple(first["loc"]), model, form_files)
        if first["type"] == "list_type" and shape is not None:
            # "keyframes: Input should be a valid list" named no entry's fields.
            message = f"{err.param}: {shown(first.get('input'))} is not a list; give {shape}"
        raise ApiError(400, message, param=err.param, code="invalid_value") from None


def check_text_limits(body: Any, chars: int) -> None:
    """The server's cap on text (``max_prompt_chars``) for a body's prompt and negative prompt: the negative
    one goes through the same text encoder, and a remix skipped the cap a create kept."""
    for name in ("prompt", "negative_prompt"):
        text = getattr(body, name, None) or ""
        if len(text) > chars:
            # Said as a field's own limit is (core/validation_words.py), so the page words both alike.
            raise ApiError(400, f"{name}: {too_long(len(text), chars)}", param=name)
