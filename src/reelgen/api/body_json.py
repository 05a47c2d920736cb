"""Reading a JSON request body strictly: one value per name, bounded nesting, errors in plain words."""

from __future__ import annotations

import json
from typing import Any

from reelgen.api.errors import ApiError

#: How deep a request body may nest (JSON arrays and objects, form brackets); the create bodies
#: need four levels at most, and Python's parsers give up near a thousand.
MAX_DEPTH = 32


class _Duplicate(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _one_per_name(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads kept the last of two same-named fields without a word: {"prompt": "a", "prompt": "b"}
    # made a video of "b", though another reader of the same body (a proxy, a log) may take "a".
    out: dict[str, Any] = {}
    for name, value in pairs:
        if name in out:
            raise _Duplicate(name)
        out[name] = value
    return out


def nesting_depth(value: Any) -> int:
    """How deeply ``value`` nests lists and dicts (iteratively: no recursion to run out of)."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:
                pending.extend(
                    (inner, depth + 1) for inner in (item.values() if isinstance(item, dict) else item)
                )
    return deepest


def load_body(raw: bytes) -> Any:
    """The JSON value of a request body (``None`` when empty); a 400 for anything else."""
    too_deep = ApiError(400, f"request body nests deeper than {MAX_DEPTH} levels")
    try:
        value = json.loads(raw or b"null", object_pairs_hook=_one_per_name)
    except _Duplicate as dup:
        name = dup.name[:100]
        raise ApiError(400, f"{name} is given twice in the request body; send it once", param=name) from None
    except RecursionError:  # nested past what the parser can follow
        raise too_deep from None
    except ValueError as exc:
        reason = str(exc)
        if "integer string conversion" in reason:  # Python's words name sys.set_int_max_str_digits()
            reason = "a number has more than 4300 digits"
        raise ApiError(400, f"request body is not valid JSON ({reason})") from None
    if nesting_depth(value) > MAX_DEPTH:
        raise too_deep
    return value
