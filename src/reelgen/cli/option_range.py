"""An option bounded by ``min``/``max`` whose value is out of range, said with the whole range it takes."""

from __future__ import annotations

from typing import Any

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
    kind = "a whole number" if whole else "a number"
    if low is not None and high is not None:
        takes = f"{kind} from {low} to {high}"
    else:
        takes = f"{kind} of at least {low}" if low is not None else f"{kind} of at most {high}"
    return f"{message}; it takes {takes}"
