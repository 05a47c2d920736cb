"""An option bounded by ``min``/``max`` whose value is out of range, said with the whole range it takes;
and a number option given no number, said once with the numbers it takes."""

from __future__ import annotations

from typing import Any

from annotated_types import Ge, Gt, Le, Lt

from reelgen.core.errors import said_with_range
from reelgen.core.spec.numbers import valid_numbers

#: The words of a range check, which name only the end that was passed, and of a value that is no number.
_UNTAKEN = ("Input should be greater than", "Input should be less than", "Input should be a valid integer")
#: Pydantic's error types for text that is no number of the option's kind ("abc", "2.5" for a whole one).
_NO_NUMBER = frozenset({"int_parsing", "float_parsing", "int_from_float"})


def with_range(exc: Any, message: str) -> str:
    """``message`` ending in what the option takes: ``--port 0`` heard only "Input should be greater
    than or equal to 1", and ``--port 70000`` only "less than or equal to 65535", never both ends;
    ``--gpus 0`` not that it takes whole numbers."""
    param = getattr(exc, "param", None)
    # Typer checks the number with pydantic, whose error holds the value typed and the end it passed.
    cause = exc.__cause__ if hasattr(exc.__cause__, "errors") else None
    errors = cause.errors() if cause is not None else []
    if errors and errors[0].get("type") in _NO_NUMBER and param is not None and param.opts:
        return _no_number(exc, param, errors[0])
    takes = _own_range(param)
    if takes is None or "; it takes" in message or not any(w in message for w in _UNTAKEN):
        return message
    said = getattr(exc, "message", None)
    if not errors or not isinstance(said, str) or not message.endswith(said):
        return f"{message}; it takes {takes}"
    return message.removesuffix(said) + said_with_range(errors[0], said, takes)


def _own_range(param: Any, whole: bool | None = None) -> str | None:
    """What an option given a ``min`` or ``max`` takes, in words; None for one given neither."""
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if low is None and high is None:
        return None
    if whole is None:
        whole = all(isinstance(end, int) for end in (low, high) if end is not None)
    rules = [
        *([] if low is None else [Gt(low) if getattr(param, "min_open", False) else Ge(low)]),
        *([] if high is None else [Lt(high) if getattr(param, "max_open", False) else Le(high)]),
    ]
    return valid_numbers("whole" if whole else "number", rules)


def _no_number(exc: Any, param: Any, error: Any) -> str:
    """``--fps: 'abc' is not a number; it takes a number above 0 and at most 240``: the option, what was
    given, and what it takes. Pydantic's "Invalid value for '--fps': Input should be a valid number,
    unable to parse string as a number" said the one mistake three times and no number to give."""
    from reelgen.cli.option_fields import field_takes

    whole = error.get("type") != "float_parsing"
    flag = next((o for o in param.opts if o.startswith("--")), param.opts[0])
    if param.param_type_name == "argument":
        flag = (param.name or flag).upper()
    given = error.get("input")
    shown = repr(given) if isinstance(given, str) else str(given)
    context = getattr(exc, "ctx", None)
    source = context.get_parameter_source(param.name) if context is not None and param.name else None
    if getattr(source, "name", None) == "ENVIRONMENT" and isinstance(param.envvar, str):
        shown = f"{param.envvar}={shown}"  # not typed: the setting it came from is what to change
    takes = _own_range(param, whole) or field_takes(context, flag, error)
    kind = "a whole number" if whole else "a number"
    tail = f"it takes {takes}" if takes else f"give one in digits, such as {3 if whole else 2.5}"
    return f"{flag}: {shown} is not {kind}; {tail}"
