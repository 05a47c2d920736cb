"""Where in parsed data a text holds a NUL character, and the refusals that name that place."""

from __future__ import annotations

from typing import Any

from reelgen.core.errors import InvalidRequest


def nul_at(value: Any, where: str = "") -> str | None:
    """Where in ``value`` (``items[0].images[1]``) the first text holding a NUL character is, or None.

    No file name can hold one (Python refuses such a path with a ValueError), no database
    stores one, and no text a model reads needs one. Keys are looked at too.
    """
    # Looked for first without naming anything: naming every value on the way cost 7-18 s of
    # the event loop for a body of a million items, and nearly every body holds no NUL.
    if not _holds_nul(value):
        return None
    trail = _nul_trail(value)
    path = where
    for step, is_index in trail:
        path = _step_name(path, step, is_index)
    return path


def _holds_nul(value: Any) -> bool:
    """Whether any text in ``value``, keys included, holds a NUL character."""
    pending: list[Any] = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending += item.keys()
            pending += item.values()
        elif isinstance(item, list):
            pending += item
    return False


#: The steps to a value looked at, last first: ``(step, is_index, steps before it)``, None at the
#: top. Shared by every item of one list or object, so no path is copied until a NUL is found.
_Trail = tuple[Any, bool, "_Trail"] | None
#: The step to the value ``nul_at`` was given: none.
_TOP = object()


def _nul_trail(value: Any) -> list[tuple[Any, bool]]:
    """The steps (a key, or a list index with True) to the first text ``nul_at`` names.

    In the order ``nul_at`` has always looked, last item first, so the place it names is the
    same as when every step was named on the way.
    """
    pending: list[tuple[Any, Any, bool, _Trail]] = [(value, _TOP, False, None)]
    while pending:
        item, step, is_index, up = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                steps = [(step, is_index)] if step is not _TOP else []
                while up is not None:
                    step, is_index, up = up
                    steps.append((step, is_index))
                return steps[::-1]
            continue
        # The steps to this item, shared by everything in it.
        here: _Trail = None if step is _TOP else (step, is_index, up)
        if isinstance(item, dict):
            for key, inner in item.items():
                pending += [(key, key, False, here), (inner, key, False, here)]
        elif isinstance(item, list):
            pending.extend((inner, i, True, here) for i, inner in enumerate(item))
    return []  # not reached: called only once _holds_nul found one


def _step_name(path: str, step: Any, is_index: bool) -> str:
    """``path`` one step further down: ``path[3]`` for a list index, ``path.key`` for a key."""
    if is_index:
        return f"{path}[{step}]"
    return f"{path}.{step}" if path else str(step)


def request_without_nul(cls: Any, data: Any) -> Any:
    """A request model's "before" validator (``model_validator(mode="before")(request_without_nul)``): no text in
    ``data`` may hold a NUL character; as a path it was a bare ValueError deep in resolving."""
    where = nul_at(data)
    if where:
        raise InvalidRequest(
            f"{where} holds a NUL character (\\0), which no file name or text may hold", param=where
        )
    return data


def no_nul(data: Any, name: str) -> Any:
    """``data`` as parsed from the file ``name``, refused when a text in it holds a NUL character
    (YAML's ``\\0``, JSON's ``\\u0000``)."""
    where = nul_at(data)
    if where is not None:
        raise InvalidRequest(
            f"{name}: {where or 'the file'} holds a NUL character (\\0), which no file name or text may hold",
            param=where or None,
        )
    return data
