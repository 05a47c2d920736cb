"""Reelgen's words for pydantic's errors of a value's kind: the value given, what was wrong, what is taken."""

from __future__ import annotations

import math
import re
from typing import Any

#: The longest given value said back in full; a longer one (a pasted run of digits) is described.
SHOWN_VALUE = 40

#: Pydantic's error types for a value that is no number of its field's kind.
NOT_A_NUMBER = frozenset({"int_parsing", "int_type", "float_parsing", "float_type", "int_from_float"})
_NOT_TEXT = frozenset({"string_type"})
_NOT_TRUTH = frozenset({"bool_type", "bool_parsing"})
_CHOICE = frozenset({"enum", "literal_error"})


def shown(given: Any) -> str:
    """``given`` as it reads back to the one who wrote it: text quoted, an object or a list by its kind.

    A number of a float field that is whole (``--upscale 1`` reaches the model as 1.0) is said as
    it was typed; NaN and infinity as ``nan`` and ``inf``, which a command line and YAML both take."""
    if isinstance(given, bool):
        return "true" if given else "false"
    if given is None:
        return "null"
    if isinstance(given, dict):
        return "an object"
    if isinstance(given, list | tuple):
        return "a list"
    if isinstance(given, float) and not math.isfinite(given):
        return str(given)
    if isinstance(given, float) and given.is_integer() and abs(given) < 1e15:
        return str(int(given))
    if isinstance(given, int | float):
        said = str(given)
        return said if len(said) <= SHOWN_VALUE else f"a number of {len(said)} digits"
    said = repr(str(given))
    return said if len(said) <= SHOWN_VALUE else f"a text of {len(str(given)):,} characters"


def not_finite(error: Any) -> bool:
    """Whether pydantic's ``error`` is a NaN or an infinity refused (pydantic's own check, or reelgen's
    number fields', which say it in pydantic's words)."""
    return error.get("type") == "finite_number" or str(error.get("msg", "")).endswith("finite number")


def number_words(error: Any) -> str | None:
    """``nan is not a finite number``, ``'abc' is not a number``, ``2.5 is not a whole number``: what
    was wrong with a number field's value, without the range (the caller says it), or None for an
    error that is no such thing (a bound passed; a validator's own words)."""
    given = error.get("input")
    if "input" not in error:
        return None
    kind = str(error.get("type"))
    # inf for a whole number is "int_from_float" to pydantic; a validator's own words stay its own.
    if not_finite(error) or (kind in NOT_A_NUMBER and _infinite(given)):
        return f"{shown(given)} is not a finite number"
    if kind not in NOT_A_NUMBER:
        return None
    whole = kind.startswith("int")
    if isinstance(given, str) and kind.endswith("_type") and _is_number(given):
        # JSON has numbers: "300" is text a client quoted by mistake (as core/spec/numbers.py says it).
        return f"{shown(given)} is text, not a number (write it without quotes)"
    if isinstance(given, str) and whole and _is_number(given):
        # "1e3" is a whole number, but not one written in digits, which is what is read here.
        written = "written in digits" if float(given).is_integer() else "a whole number"
        return f"{shown(given)} is not {written}"
    if isinstance(given, int | float) and not isinstance(given, bool):
        return f"{shown(given)} is not a whole number" if whole else None
    return f"{shown(given)} is not a number"


def _infinite(given: Any) -> bool:
    """Whether ``given`` is NaN or an infinity, as a number or as the text of one (a form's "nan")."""
    try:
        return isinstance(given, float | str) and not math.isfinite(float(given))
    except ValueError:
        return False


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def too_long(length: int, most: int, unit: str = "characters") -> str:
    """``it has 5,000 characters, and at most 4,000 are taken; shorten it``: the one wording of a text or
    list past its limit, a field's own (pydantic's max_length) or a server's cap alike."""
    return f"it has {length:,} {unit}, and at most {most:,} are taken; shorten it"


def choices_in(error: Any) -> list[str]:
    """The values an enum or ``Literal`` error names as valid ("'h264', 'h265' or 'vp9'")."""
    return re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))


def listed(allowed: list[str]) -> str:
    """``a or b``, or ``one of a, b or c``."""
    if len(allowed) <= 2:
        return " or ".join(allowed)
    return f"one of {', '.join(allowed[:-1])} or {allowed[-1]}"


def kind_words(error: Any, takes: str | None = None) -> str | None:
    """Reelgen's words for pydantic's ``error`` of a value of the wrong kind (not text, not true or
    false, not one of the choices, no list, a number that is none), ending in what the field takes:
    ``task: 'zzz' is not a choice; give one of t2v, i2v ...`` where pydantic said "Input should be
    't2v', ...", and ``metadata.a: 1 is not text; ...`` where it said "Input should be a valid string".
    ``takes``: what the field takes, where the caller knows it (a number's range, a list's shape).
    None for an error these words do not cover, whose own words stay."""
    kind = str(error.get("type"))
    given = error.get("input")
    numbers = number_words(error)
    if numbers is not None:
        whole = "a whole number" if kind.startswith("int") else "a number"
        return f"{numbers}; it takes {takes or ('a finite number' if 'finite' in numbers else whole)}"
    if "input" not in error:
        return None
    if kind in _NOT_TEXT:
        return f"{shown(given)} is not text; give text in quotes"
    if kind in _NOT_TRUTH:
        return f"{shown(given)} is not true or false; give true or false"
    if kind in _CHOICE and choices_in(error):
        return f"{shown(given)} is not a choice; give {listed(choices_in(error))}"
    if kind == "list_type":
        return f"{shown(given)} is not a list; give {takes or 'a list in brackets, e.g. [...]'}"
    if kind in ("too_short", "string_too_short") and isinstance(given, str | list | tuple | dict):
        least = error.get("ctx", {}).get("min_length", 1)
        unit = "character" if isinstance(given, str) else "item"
        if not given:
            return f"it is empty; give at least {least} {unit}{'' if least == 1 else 's'}"
        return f"it has {len(given)} {unit}{'' if len(given) == 1 else 's'}; give at least {least}"
    return None
