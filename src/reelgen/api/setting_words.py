"""Plain words for a ``REELGEN_*`` setting pydantic refused, in place of its own ("Input should be ...")."""

from __future__ import annotations

from typing import Any

#: Pydantic's error types for a value that is no number of the field's kind, and what it is not.
_NOT_A = {
    "int_parsing": "not a whole number",
    "int_from_float": "not a whole number",
    "int_type": "not a whole number",
    "float_parsing": "not a number",
    "float_type": "not a number",
    "finite_number": "not a finite number",
}


def setting_words(error: Any) -> str | None:
    """What is wrong with the value in pydantic's ``error``, said without pydantic's words, or None
    for an error whose own words (a validator's message) already say it.

    ``REELGEN_MAX_QUEUE=abc`` was "Input should be a valid integer, unable to parse string as an
    integer": an operator reading the server's one line of refusal heard of parsing, not of the value.
    The range the setting takes is said after these words by the caller."""
    kind = str(error.get("type"))
    given = error.get("input")
    if kind in _NOT_A:
        return "empty" if isinstance(given, str) and not given.strip() else _NOT_A[kind]
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", "")).replace("'", "")
        return f"not one of its choices; give {expected}" if expected else None
    return None
