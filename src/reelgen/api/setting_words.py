"""Plain words for a ``REELGEN_*`` setting pydantic refused, in place of its own ("Input should be ...")."""

from __future__ import annotations

from typing import Any

from reelgen.core.validation_words import NOT_A_NUMBER


def setting_words(error: Any) -> str | None:
    """What is wrong with the value in pydantic's ``error``, said without pydantic's words, or None
    for an error whose own words (a validator's message) already say it.

    ``REELGEN_MAX_QUEUE=abc`` was "Input should be a valid integer, unable to parse string as an
    integer": an operator reading the server's one line of refusal heard of parsing, not of the value.
    The range the setting takes is said after these words by the caller."""
    kind = str(error.get("type"))
    given = error.get("input")
    if kind in NOT_A_NUMBER or kind == "finite_number":  # the value is shown already: only what it is not
        if isinstance(given, str) and not given.strip():
            return "empty"
        if kind == "finite_number":
            return "not a finite number"
        return "not a whole number" if kind.startswith("int") else "not a number"
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", "")).replace("'", "")
        return f"not one of its choices; give {expected}" if expected else None
    return None
