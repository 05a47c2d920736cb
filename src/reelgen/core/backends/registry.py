"""Finds model families through the ``reelgen.backends`` entry-point group and resolves model names."""

from __future__ import annotations

import difflib
import logging
from functools import cache
from importlib.metadata import entry_points

from reelgen.core.backends.base import Backend, Preset
from reelgen.core.errors import ModelNotAvailable
from reelgen.core.types import Task

log = logging.getLogger(__name__)

GROUP = "reelgen.backends"

_extra: dict[str, type[Backend]] = {}


@cache
def _discovered() -> dict[str, type[Backend]]:
    found: dict[str, type[Backend]] = {}
    for ep in entry_points(group=GROUP):
        try:
            cls = ep.load()
        except Exception as exc:  # a broken plugin must not take the others down
            log.warning("backend plugin %r (%s) failed to load: %s", ep.name, ep.value, exc)
            continue
        if not (isinstance(cls, type) and issubclass(cls, Backend)):
            log.warning("backend plugin %r (%s) is not a Backend subclass; skipped", ep.name, ep.value)
            continue
        found[cls.info.family] = cls
    return found


def register(cls: type[Backend]) -> None:
    """Add a family at run time (tests, notebooks); entry points are the normal way."""
    _extra[cls.info.family] = cls


def unregister(family: str) -> None:
    _extra.pop(family, None)


def families() -> dict[str, type[Backend]]:
    """Every available family by name, built-in and plugin alike."""
    return {**_discovered(), **_extra}


def presets() -> dict[str, tuple[type[Backend], Preset]]:
    """Every model name (preset) with its family."""
    out: dict[str, tuple[type[Backend], Preset]] = {}
    for cls in families().values():
        for preset in cls.info.presets:
            out[preset.name] = (cls, preset)
    return out


def resolve(model: str) -> tuple[type[Backend], Preset]:
    """The family and preset of ``model``; unknown names get the closest known ones."""
    known = presets()
    if model in known:
        return known[model]
    close = difflib.get_close_matches(model, list(known), n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise ModelNotAvailable(
        f"unknown model {model!r}; {hint}known models: {', '.join(sorted(known))} "
        "(run `reelgen models` for details)",
        param="model",
    )


def families_supporting(task: Task) -> list[str]:
    return sorted(f for f, cls in families().items() if task in cls.info.tasks)
