"""Every ``REELGEN_*`` setting `reelgen serve` reads, as ``reelgen serve --settings`` lists them."""

from __future__ import annotations

import os
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined
from pydantic_settings import BaseSettings

from reelgen.api.setting_names import DIRECT_MEANINGS, variables_of
from reelgen.core.spec.numbers import range_for_error


def _settings_classes() -> tuple[type[BaseSettings], ...]:
    """The classes `reelgen serve` builds its settings from (nested ones are found through their fields)."""
    from reelgen.api.settings import ApiSettings, FolderSettings

    return (ApiSettings, FolderSettings)


def _kinds(annotation: Any) -> list[Any]:
    """The types a field's annotation allows, ``None`` left out (an unset variable)."""
    args = (
        typing.get_args(annotation)
        if typing.get_origin(annotation) in (typing.Union, type(int | None))
        else ()
    )
    kinds = list(args) if args else [annotation]
    return [kind for kind in kinds if kind is not type(None)]


def takes(info: FieldInfo) -> str:
    """What a field's variable takes, in words: its type with its range or choices."""
    numbers = range_for_error(info.annotation, info.metadata, {})
    if numbers:
        return numbers
    kinds = _kinds(info.annotation)
    first = kinds[0] if kinds else str
    while typing.get_origin(first) is typing.Annotated:
        first = typing.get_args(first)[0]
    if first is bool:
        return "true or false"
    if typing.get_origin(first) is typing.Literal:
        return "one of " + ", ".join(str(choice) for choice in typing.get_args(first))
    if first is SecretStr:
        return "a secret (never shown)"
    if isinstance(first, type) and issubclass(first, Path):
        return "a folder"
    if typing.get_origin(first) is list:
        return "a comma-separated list"
    return "text"


def default_of(info: FieldInfo, names: list[str]) -> str:
    """A field's default as a variable's value would be written; one made at start is worked out here,
    with the field's own variables unset (``lora_dir``'s factory reads ``REELGEN_LORA_DIR`` itself)."""
    default = info.default
    factory = info.default_factory
    if default is PydanticUndefined and factory is not None:
        default = _without(names, typing.cast(Callable[[], Any], factory))
    if default is None:
        return "unset"
    if isinstance(default, bool):
        return str(default).lower()
    if isinstance(default, float):
        return f"{default:g}"
    if isinstance(default, list):
        return ",".join(map(str, default)) or "empty"
    return str(default) if str(default) else "empty"


def _without(names: list[str], factory: Callable[[], Any]) -> Any:
    """What ``factory`` makes with the variables ``names`` unset, the environment then put back."""
    saved = {name: os.environ.pop(name) for name in names if name in os.environ}
    try:
        return factory()
    finally:
        os.environ.update(saved)


def _entries(model: type[BaseSettings], seen: set[str]) -> Iterator[tuple[str, str, str, str]]:
    """(variables, what it takes, default, meaning) for each field of ``model`` and of its nested classes."""
    for field, info in model.model_fields.items():
        if isinstance(info.annotation, type) and issubclass(info.annotation, BaseSettings):
            yield from _entries(info.annotation, seen)  # ApiSettings.jobs: each field its own variable
            continue
        names = sorted(variables_of(model, field), key=lambda name: not name.startswith("REELGEN_"))
        if names[0] in seen:  # REELGEN_ALLOW_PRIVATE_WEBHOOKS is read by the API's and the jobs' settings
            continue
        seen.add(names[0])
        shown = names[0] + "".join(f" (or {other})" for other in names[1:])
        yield shown, takes(info), default_of(info, names), info.description or ""


def settings_lines() -> list[str]:
    """The listing: each variable with what it takes and its default, then its meaning on the next line."""
    lines: list[str] = []
    seen: set[str] = set()
    for model in _settings_classes():
        for shown, what, default, meaning in _entries(model, seen):
            lines += [f"{shown}: {what} (default {default})", f"    {meaning}"]
    lines.append("")
    lines.append("Also read, outside the settings above:")
    for name, meaning in sorted(DIRECT_MEANINGS.items()):
        if name not in seen:
            lines += [name, f"    {meaning}"]
    return lines
