"""An option bounded by ``min``/``max`` whose value is out of range, said with the whole range it takes."""

from __future__ import annotations

from typing import Any

from annotated_types import Ge, Gt, Le, Lt

from reelgen.core.errors import said_with_range
from reelgen.core.spec.numbers import valid_numbers

#: The words of a range check, which name only the end that was passed, and of a value that is no number.
_UNTAKEN = ("Input should be greater than", "Input should be less than", "Input should be a valid integer")


def with_range(exc: Any, message: str) -> str:
    """``message`` ending in what the option takes: ``--port 0`` heard only "Input should be greater
    than or equal to 1", and ``--port 70000`` only "less than or equal to 65535", never both ends;
    ``--gpus 0`` not that it takes whole numbers."""
    param = getattr(exc, "param", None)
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if (low is None and high is None) or "; it takes" in message or not any(w in message for w in _UNTAKEN):
        return message
    whole = all(isinstance(end, int) for end in (low, high) if end is not None)
    rules = [
        *([] if low is None else [Gt(low) if getattr(param, "min_open", False) else Ge(low)]),
        *([] if high is None else [Lt(high) if getattr(param, "max_open", False) else Le(high)]),
    ]
    takes = valid_numbers("whole" if whole else "number", rules)
    # Typer checks the number with pydantic, whose error holds the value typed and the end it passed.
    cause = exc.__cause__ if hasattr(exc.__cause__, "errors") else None
    errors = cause.errors() if cause is not None else []
    said = getattr(exc, "message", None)
    if not errors or not isinstance(said, str) or not message.endswith(said):
        return f"{message}; it takes {takes}"
    return message.removesuffix(said) + said_with_range(errors[0], said, takes)
