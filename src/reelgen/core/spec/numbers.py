"""Number fields that take numbers only: true, false and non-finite values are refused, not read as 1, 0 or NaN.

Pydantic reads a JSON ``true`` given for an ``int`` as 1 in lax mode, so ``"seed": true`` quietly
became seed 1 and ``"steps": false`` a bound error about 0. Every model a request comes in by
(the request itself, a record's resolved request, the wire bodies, manifests, projects) takes
``NumberFields`` as its base; a family's options, a free dict until resolved, go through
``validate_options``.
"""

from __future__ import annotations

import functools
import math
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel, ValidationError, ValidationInfo, field_validator
from pydantic_core import InitErrorDetails

_Model = TypeVar("_Model", bound=BaseModel)
_Read = TypeVar("_Read")

#: Text pydantic would read as a truth value; given for a number it is one, not a typo of a number.
TRUTH_WORDS = frozenset({"true", "false", "yes", "no", "on", "off"})
#: Pydantic's own words for NaN and infinity where a model refuses them, used for every model alike.
NOT_FINITE = "Input should be a finite number"


def _kinds(annotation: Any) -> Iterator[Any]:
    """The plain types an annotation admits: ``int | None`` gives int and NoneType."""
    origin = typing.get_origin(annotation)
    if origin in (types.UnionType, typing.Union):
        for arg in typing.get_args(annotation):
            yield from _kinds(arg)
    elif origin is typing.Annotated:
        yield from _kinds(typing.get_args(annotation)[0])
    else:
        yield annotation


def _per_annotation(read: Callable[[Any], _Read]) -> Callable[[Any], _Read]:
    """``read`` remembered per annotation: every validation of every field asked again (an hour-long
    camera path validated 86,401 crops, a third of its time spent here); unhashable ones are read anew."""
    remembered = functools.cache(read)

    @functools.wraps(read)
    def lookup(annotation: Any) -> _Read:
        try:
            return remembered(annotation)
        except TypeError:  # an annotation holding a list or dict
            return read(annotation)

    return lookup


@_per_annotation
def _number_kind(annotation: Any) -> str | None:
    """'whole' or 'number' for an annotation that takes numbers and no text or truth value, else None."""
    kinds = set(_kinds(annotation))
    if kinds & {bool, str, Any} or not kinds & {int, float}:
        return None
    return "number" if float in kinds else "whole"


@_per_annotation
def _item_annotation(annotation: Any) -> Any:
    """The item type of a ``list[float] | None``-style annotation, or None for any other."""
    for kind in _kinds(annotation):
        if typing.get_origin(kind) in (list, tuple) and typing.get_args(kind):
            return typing.get_args(kind)[0]
    return None


def _show(bound: Any) -> str:
    return f"{bound:g}" if isinstance(bound, float) else str(bound)


def valid_numbers(kind: str, metadata: list[Any]) -> str:
    """What a number field takes, in words: ``a whole number from 1 to 1000``, ``a number above 0``."""
    low: Any = None
    high: Any = None
    low_open = high_open = False
    for rule in metadata:
        if isinstance(rule, Ge):
            low = rule.ge
        elif isinstance(rule, Gt):
            low, low_open = rule.gt, True
        elif isinstance(rule, Le):
            high = rule.le
        elif isinstance(rule, Lt):
            high, high_open = rule.lt, True
    what = "a whole number" if kind == "whole" else "a number"
    if kind == "whole" and isinstance(low, int) and low_open:
        low, low_open = low + 1, False
    if kind == "whole" and isinstance(high, int) and high_open:
        high, high_open = high - 1, False
    if low is not None and high is not None and not (low_open or high_open):
        return f"{what} from {_show(low)} to {_show(high)}"
    bounds = []
    if low is not None:
        bounds.append(f"above {_show(low)}" if low_open else f"at least {_show(low)}")
    if high is not None:
        bounds.append(f"below {_show(high)}" if high_open else f"at most {_show(high)}")
    said = " and ".join(bounds)
    return f"{what} {'of ' if said.startswith('at') else ''}{said}".strip()


class NotANumber(ValueError):
    """A number field given something else; ``index`` is the item of a list it names, if any."""

    def __init__(self, message: str, index: tuple[int, ...] = ()) -> None:
        super().__init__(message)
        self.index = index


def _number(value: Any, kind: str, rules: list[Any], text: bool) -> Any:
    """``value`` for a number field of ``kind``: a whole float as its int, else as given; or NotANumber."""
    wrong = None
    if isinstance(value, bool):
        wrong = f"{str(value).lower()} is not a number"
    elif isinstance(value, str) and value.strip().lower() in TRUTH_WORDS:
        wrong = f"{value!r} is not a number"
    elif isinstance(value, str) and not text:  # JSON has numbers: "5" is text a client quoted by mistake
        wrong = f"{value!r} is text, not a number (write it without quotes)"
    elif isinstance(value, str):  # a form's text, said as its number would be
        try:
            number = float(value)
        except ValueError:
            return value  # no number at all: pydantic says so
        if not math.isfinite(number):
            raise NotANumber(NOT_FINITE)
        if kind == "whole" and not number.is_integer():
            wrong = f"{value!r} is not a whole number"
    elif isinstance(value, float) and not math.isfinite(value):
        raise NotANumber(NOT_FINITE)
    elif isinstance(value, float) and kind == "whole":
        if not value.is_integer():  # 7.9 steps is neither 7 nor 8: say so rather than pick one
            wrong = f"{value:g} is not a whole number"
        else:
            return int(value)  # 7.0 is 7, in JSON as in a form's text
    if wrong:
        raise NotANumber(f"{wrong}; give {valid_numbers(kind, rules)}")
    return value


def as_number(annotation: Any, rules: list[Any], value: Any, *, text: bool = True) -> Any:
    """``value`` checked for a field of ``annotation`` (bounds ``rules``) that takes numbers, or list of
    them; other fields' values pass as they are. ``text``: whether numbers may come as text (forms)."""
    kind = _number_kind(annotation)
    if kind is not None:
        return _number(value, kind, rules, text)
    item = _item_annotation(annotation)
    item_kind = _number_kind(item) if item is not None else None
    if item_kind is None or not isinstance(value, list | tuple):
        return value
    items = []
    for i, entry in enumerate(value):
        try:
            items.append(_number(entry, item_kind, [], text))
        except NotANumber as exc:
            raise NotANumber(str(exc), (i,)) from None
    return type(value)(items)


class NumberFields(BaseModel):
    """A model whose number fields refuse truth values and non-finite numbers, saying what they take."""

    @field_validator("*", mode="before")
    @classmethod
    def _numbers_only(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        if field is None:
            return value
        try:
            return as_number(field.annotation, field.metadata, value, text=info.mode != "json")
        except NotANumber as exc:
            raise ValueError(f"item {exc.index[0]}: {exc}" if exc.index else str(exc)) from None


def validate_options(model: type[_Model], values: Mapping[str, Any]) -> _Model:
    """``values`` (a family's or an enhancer's options, given as a dict) as ``model``, numbers checked
    as ``NumberFields`` checks them; the options models themselves stay plain pydantic."""
    checked = {}
    for name, value in values.items():
        field = model.model_fields.get(name)
        try:
            checked[name] = as_number(field.annotation, field.metadata, value) if field else value
        except NotANumber as exc:
            error: InitErrorDetails = {
                "type": "value_error",
                "loc": (name, *exc.index),
                "input": value,
                "ctx": {"error": ValueError(str(exc))},
            }
            raise ValidationError.from_exception_data(model.__name__, [error]) from None
    return model.model_validate(checked)


def bounded_both_ways(annotation: Any, metadata: list[Any]) -> str | None:
    """``valid_numbers`` for a number field with a lower and an upper bound; None for any other field."""
    kind = _number_kind(annotation)
    if kind is None:
        return None
    if not any(isinstance(r, Ge | Gt) for r in metadata) or not any(isinstance(r, Le | Lt) for r in metadata):
        return None
    return valid_numbers(kind, metadata)


def range_for_error(annotation: Any, metadata: list[Any], error: Any) -> str | None:
    """What a number field takes, for pydantic's ``error`` of its value: one bounded at one end too
    ("a whole number of at least 1": pydantic's "greater than or equal to 1" left half of it said), but
    only a range with two ends after "a finite number", which is itself what a one-ended field takes."""
    if str(error.get("msg", "")).endswith("finite number"):
        return bounded_both_ways(annotation, metadata)
    kind = _number_kind(annotation)
    return valid_numbers(kind, metadata) if kind is not None else None
