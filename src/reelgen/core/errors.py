"""Errors reelgen raises: each names what was wrong and what would be right."""

from __future__ import annotations

import difflib
import enum
import json
import re
import types
import typing
from typing import Any

from reelgen.core.validation_words import NOT_A_NUMBER, kind_words, not_finite, number_words, too_long


class ReelgenError(Exception):
    """Base of every error reelgen raises on purpose.

    ``code`` is a stable machine-readable name (the API puts it in its error
    envelope); ``param`` names the request field at fault, when there is one.
    """

    code = "reelgen_error"

    def __init__(self, message: str, *, param: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.param = param


class InvalidRequest(ReelgenError):
    """The request breaks a rule of the model or of reelgen itself."""

    code = "invalid_request"


class UnsupportedTask(InvalidRequest):
    """The model cannot do the asked task (e.g. text-to-video on SVD)."""

    code = "unsupported_task"


class ModelNotAvailable(ReelgenError):
    """The model is unknown, or its weights are not on this machine."""

    code = "model_not_available"


class WeightsNotHere(ModelNotAvailable):
    """A known model whose weights are nowhere reelgen looks. The message says how to fetch them; a
    command that takes a path to weights (``--weights``) adds that it does, one without says nothing of it."""


class Cancelled(ReelgenError):
    """The run was cancelled; nothing was written."""

    code = "cancelled"


class OutOfMemory(ReelgenError):
    """The run did not fit in memory even after stepping down the offload ladder."""

    code = "out_of_memory"


class GenerationFailed(ReelgenError):
    """The model ran but produced no usable video (e.g. NaN frames)."""

    code = "generation_failed"


class WriteFailed(ReelgenError):
    """A file could not be written (a full disk, say); the file it was to replace is left as it was.

    ``disk_full`` says the disk (or a quota) had no room, which the API answers 507, not 500.
    """

    code = "write_failed"

    def __init__(self, message: str, *, param: str | None = None, disk_full: bool = False) -> None:
        super().__init__(message, param=param)
        self.disk_full = disk_full


#: What a JSON value that should have been an object was, in words.
_JSON_KINDS: dict[type, str] = {
    list: "a list",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true or false",
    type(None): "null",
}


EMPTY_NAME = '""'
"""How a field whose name is the empty string is written in a field path and in a message."""


def unknown_name(name: str) -> str:
    """An unknown field's name as a message says it: an empty one shown, and said to be empty."""
    return f"{EMPTY_NAME} (a field with an empty name)" if name == "" else name


def field_path(loc: Any) -> str:
    """A pydantic location as reelgen writes field paths everywhere: ``items[0].output``, not ``items.0.output``.

    A name that is the empty string is written ``""``: left blank, ``{"": 1}`` had no path at all
    and was reported as "None is not a known field"."""
    out = ""
    for part in loc:
        name = EMPTY_NAME if part == "" else str(part)
        out += f"[{part}]" if isinstance(part, int) else (f".{name}" if out else name)
    return out


def _model_in(annotation: Any) -> Any:
    """The pydantic model an annotation holds (``Motion | None``, ``list[BatchItem]`` ...), if any."""
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (dict, types.UnionType, typing.Union, list, tuple):
        args = typing.get_args(annotation)
        # A dict's keys are names, not fields; its values may be models.
        for arg in args[1:] if typing.get_origin(annotation) is dict else args:
            found = _model_in(arg)
            if found is not None:
                return found
    return None


def _holder(model: Any, loc: tuple[Any, ...]) -> Any:
    """The pydantic model of the object that holds ``loc``'s last part, or None where it is not known."""
    current = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = _field_named(current, part)
        if field is None:
            return None
        current = _model_in(field.annotation)
    return current


def _field_named(model: Any, name: Any) -> Any:
    """The field of pydantic ``model`` called ``name`` or aliased so (the wire's ``num_inference_steps``)."""
    if model is None:
        return None
    if name in model.model_fields:
        return model.model_fields[name]
    return next((info for info in model.model_fields.values() if info.alias == name), None)


def fields_at(model: Any, loc: tuple[Any, ...]) -> list[str]:
    """The field names (and wire aliases) of the object of pydantic ``model`` that holds ``loc``'s last part."""
    current = _holder(model, loc)
    if current is None:
        return []
    return [alias for name, info in current.model_fields.items() for alias in (name, info.alias) if alias]


#: Pydantic's error types for a number past one of its field's bounds.
BOUND_ERRORS = frozenset({"greater_than", "greater_than_equal", "less_than", "less_than_equal"})


def past_a_number_rule(error: Any) -> bool:
    """Whether pydantic's ``error`` is a number past its field's bounds, or no number of its kind ("2.5"
    for a whole number was told only "unable to parse string as an integer", not which numbers it takes;
    NaN included, which reelgen's number fields refuse in their own validator), so the range helps."""
    return error.get("type") in BOUND_ERRORS | NOT_A_NUMBER or not_finite(error)


#: Which end of its range a number past a bound is beyond, by pydantic's error type.
_TOO_FAR = {
    "greater_than": "small",
    "greater_than_equal": "small",
    "less_than": "large",
    "less_than_equal": "large",
}
#: The longest given value said back in full; a longer one (a pasted run of digits) is left unsaid.
_SHOWN_VALUE = 40


def said_with_range(error: Any, text: str, takes: str, *, value_shown: bool = False) -> str:
    """``text`` (pydantic's words for ``error``) with the range the number takes: ``0 is too small; it
    takes a number above 1 and at most 8``.

    Pydantic's "Input should be greater than 1" and the range said the same end twice, and never the
    value given. ``value_shown``: the words before already show it (``REELGEN_PORT='0'``), so it is
    not said again. Other errors (no number at all) keep pydantic's words before the range."""
    too = _TOO_FAR.get(str(error.get("type")))
    if too is None:
        # "Input should be a finite number" named neither the value nor the field's words for it.
        said = None if value_shown else number_words(error)
        return f"{said or text}; it takes {takes}"
    given = error.get("input")
    shown = ("true" if given else "false") if isinstance(given, bool) else str(given).strip()
    if isinstance(given, float) and given.is_integer() and abs(given) < 1e15:
        shown = str(int(given))  # --upscale 1 reaches the model as 1.0; said as it was typed
    if value_shown or "input" not in error or not shown or len(shown) > _SHOWN_VALUE:
        return f"too {too}; it takes {takes}"
    return f"{shown} is too {too}; it takes {takes}"


def value_words(error: Any, takes: str | None) -> str:
    """What was wrong with the value in pydantic's ``error``, and what its field ``takes`` where known.

    Pydantic's "Input should be a valid string", "... 'video', 'frames' or 'audio'" or "... a finite
    number" named neither the value given nor, for a number, what it takes."""
    text = str(error.get("msg", "")).removeprefix("Value error, ")
    if error.get("type") in BOUND_ERRORS and takes:
        return said_with_range(error, text, takes)
    return kind_words(error, takes) or (said_with_range(error, text, takes) if takes else text)


def field_range(model: Any, loc: tuple[Any, ...], error: Any) -> str | None:
    """What the number field at ``loc`` of ``model`` takes, in words, for pydantic's ``error`` of it
    (``a whole number from 1 to 240``, ``a whole number of at least 1``).

    Pydantic names only the end that was passed, so ``--fps 1000`` heard "at most 240" and ``--fps 0``
    "greater than 0", never the two together; and ``--option extend_context_frames=0`` heard
    "greater than or equal to 1", not that it takes whole numbers."""
    from reelgen.core.spec.numbers import range_for_error

    field = _field_at(model, loc)
    return range_for_error(field.annotation, field.metadata, error) if field is not None else None


def _field_at(model: Any, loc: tuple[Any, ...]) -> Any:
    """The pydantic field ``loc`` names in ``model``, or None."""
    return _field_named(_holder(model, loc), loc[-1]) if loc and isinstance(loc[-1], str) else None


def _plain(annotation: Any) -> Any:
    """The one type an annotation holds, ``None`` and ``Annotated`` set aside: ``list[str] | None`` is a list."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _plain(typing.get_args(annotation)[0])
    if origin in (types.UnionType, typing.Union):
        kinds = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _plain(kinds[0]) if len(kinds) == 1 else annotation
    return annotation


#: Two items of a list of each kind, as JSON (and YAML's brackets) write them.
_ITEMS: dict[Any, tuple[str, str]] = {int: ("1", "2"), float: ("0.5", "1.0"), str: ('"first"', '"second"')}


def _item(annotation: Any, extra: Any) -> tuple[str, str] | None:
    """Two example items of a list field whose items are ``annotation``; an object shows its required fields."""
    kind = _plain(annotation)
    if kind is str and isinstance(extra, dict) and extra.get("x-input-file"):
        return '"a.png"', '"b.png"'
    if kind in _ITEMS:
        return _ITEMS[kind]
    choices = _choices(kind)
    if len(choices) >= 2:  # two of its choices: '"first"' or '...' asked for values it refuses
        return json.dumps(choices[0]), json.dumps(choices[1])
    if _model_in(kind) is not kind:
        return None
    fields = [(n, f) for n, f in kind.model_fields.items() if f.is_required()]
    # A text field inside an object is any text ("..."); "first" read as a value to copy.
    shown = [f'"{n}": {_field_value(f)}' for n, f in fields]
    one = "{" + ", ".join(shown) + "}"
    return one, one


def _choices(kind: Any) -> list[Any]:
    """The values a ``Literal`` or an enum takes; none for any other type."""
    if typing.get_origin(kind) is typing.Literal:
        return list(typing.get_args(kind))
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return [member.value for member in kind]
    return []


def _field_value(field: Any) -> str:
    """An example value of one field of an object in a list, as JSON writes it."""
    value = _item(field.annotation, field.json_schema_extra)
    return '"..."' if value is None or value[0] == '"first"' else value[0]


def list_example(model: Any, loc: tuple[Any, ...]) -> str | None:
    """How a list field is written, with example items, or None where ``loc`` names no list field:
    "Input should be a valid list" left ``keyframes: a.png`` with no shape to try."""
    field = _field_at(model, loc)
    listed = _plain(field.annotation) if field is not None else None
    if field is None or typing.get_origin(listed) not in (list, tuple) or not typing.get_args(listed):
        return None
    items = _item(typing.get_args(listed)[0], field.json_schema_extra)
    shown = "..." if items is None else items[0] if items[0].startswith("{") else ", ".join(items)
    return f"a list in brackets, e.g. [{shown}]"


def near_choice(given: Any, allowed: list[str]) -> str | None:
    """The allowed name ``given`` meant: written with ``_`` or spaces for ``-`` (zoom_in), in capitals,
    or a near typo (zoomin); None where none is near."""
    if not isinstance(given, str):
        return None
    said = re.sub(r"[\s_]+", "-", given.strip().lower())
    near = [said] if said in allowed else difflib.get_close_matches(said, allowed, n=1, cutoff=0.6)
    return near[0] if near else None


def _object_for(model: Any, loc: tuple[Any, ...], given: Any) -> str | None:
    """The object a name given where one goes stands for: ``"motion": "zoom-in"`` is ``{"preset": "zoom-in"}``,
    the object's field whose choices hold (near) that name; None where none does."""
    field = _field_at(model, loc)
    target = _model_in(field.annotation) if field is not None else None
    for name, info in target.model_fields.items() if target is not None else ():
        choices = _plain(info.annotation)
        if isinstance(choices, type) and issubclass(choices, enum.Enum):
            choice = near_choice(given, [str(member.value) for member in choices])
            if choice is not None:
                return f'{{"{name}": "{choice}"}}'
    return None


def from_validation_error(
    exc: Any, *, prefix: str = "", options_of: str | None = None, model: Any = None, lists: bool = False
) -> InvalidRequest:
    """The first problem of a pydantic ``ValidationError`` as an ``InvalidRequest`` naming its field.

    The CLI, the API and the resolver all turn validation errors into messages here, so
    a bad value reads the same everywhere: ``num_frames: 0 is too small; it takes a whole number from 1 to 100000``.
    Given the ``model`` validated, an unknown field gets the near known name, if any, and a number
    field what it takes. ``lists``: a list field given no list is shown one (the API's forms say
    their own JSON shapes, so it is asked for, not given to every caller). A value of the wrong kind
    is said back with what is valid (``task: 'zzz' is not a choice; give one of t2v, ...``).
    """
    first = exc.errors()[0]
    where = field_path(first["loc"])
    param = f"{prefix}{where}" if where else (prefix.rstrip(".") or None)
    kind = first.get("type", "")
    if kind == "missing":
        message = f"{param} is required"
    elif kind == "extra_forbidden" and first["loc"] and first["loc"][-1] == "":
        # No name is near an empty one, and the known names are not what it was meant to be.
        message = f"{param} (a field with an empty name) is not a known field; remove it"
    elif kind == "extra_forbidden":
        message = f"{param} is not a known field"
        known = fields_at(model, tuple(first["loc"])) if model is not None else []
        near = difflib.get_close_matches(str(first["loc"][-1]), known, n=1, cutoff=0.6)
        if near:
            message += f"; did you mean {near[0]}?"
    elif kind in ("string_too_long", "too_long") and isinstance(first.get("input"), str | list | tuple):
        # "String should have at most 5000 characters" said neither how long it was nor what to do.
        most, length = first.get("ctx", {}).get("max_length"), len(first["input"])
        unit = "characters" if isinstance(first["input"], str) else "items"
        message = f"{param}: {too_long(length, most, unit)}"
    elif kind in ("model_type", "model_attributes_type", "dict_type"):  # pydantic names its classes here
        given = _JSON_KINDS.get(type(first.get("input")), "something else")
        message = f"{param or 'the request body'} must be an object of named fields, not {given}"
        meant = _object_for(model, tuple(first["loc"]), first.get("input")) if model is not None else None
        if meant is not None:
            message += f"; write it as {meant}"
    else:
        # NaN is said with the whole rule of its field, one end or two: "a finite number" says no less.
        asked = {**first, "msg": ""} if not_finite(first) else first
        takes = (
            field_range(model, tuple(first["loc"]), asked)
            if past_a_number_rule(first) and model is not None
            else None
        )
        if kind == "list_type" and model is not None and lists:
            takes = list_example(model, tuple(first["loc"]))
        text = value_words(first, takes)
        message = f"{param}: {text}" if param else text
        # "Input should be 'pan-left', ... or 'arc-right'" listed the names, but not the one zoom_in meant.
        allowed = (
            re.findall(r"'([^']*)'", str(first.get("ctx", {}).get("expected", ""))) if kind == "enum" else []
        )
        meant = near_choice(first.get("input"), allowed)
        if meant is not None:
            message += f"; did you mean {meant}?"
    if options_of:
        message += f" ({options_of})"
    return InvalidRequest(message, param=param)
