"""Finds model families through the ``reelgen.backends`` entry-point group and resolves model names."""

from __future__ import annotations

import difflib
import logging
from functools import cache
from importlib.metadata import EntryPoint, entry_points

from pydantic import BaseModel

from reelgen.core.errors import ModelNotAvailable
from reelgen.core.spec.family import FamilySpec, Preset
from reelgen.core.spec.request import NoOptions, Task

log = logging.getLogger(__name__)

GROUP = "reelgen.backends"

_extra: dict[str, FamilySpec] = {}


@cache
def _discovered() -> dict[str, FamilySpec]:
    """The families of installed entry points: reelgen's own first, then plugins by entry-point name.

    A plugin whose family name, or any of whose model names, is already taken is skipped with a
    warning: which one won used to depend on the order the packages were installed in.
    """
    found: dict[str, FamilySpec] = {}
    owner: dict[str, str] = {}  # each model name, and each family name, with the entry point that took it
    for ep in sorted(entry_points(group=GROUP), key=lambda ep: (_dist_name(ep) != "reelgen", ep.name)):
        try:
            spec = ep.load()
        except Exception as exc:  # a broken plugin must not take the others down
            log.warning("backend plugin %r (%s) failed to load: %s", ep.name, ep.value, exc)
            continue
        if not isinstance(spec, FamilySpec):
            log.warning("backend plugin %r (%s) is not a FamilySpec; skipped", ep.name, ep.value)
            continue
        names = [f"family {spec.family}", *(f"model {p.name}" for p in spec.presets)]
        taken = [f"{name} ({owner[name]})" for name in names if name in owner]
        if taken:
            log.warning(
                "backend plugin %r (%s) skipped: %s already taken", ep.name, ep.value, ", ".join(taken)
            )
            continue
        owner.update(dict.fromkeys(names, ep.value))
        found[spec.family] = spec
    return found


def _dist_name(ep: EntryPoint) -> str:
    dist = getattr(ep, "dist", None)
    return str(dist.name) if dist is not None else ""


def register(spec: FamilySpec) -> None:
    """Add a family at run time (tests, notebooks); entry points are the normal way."""
    _extra[spec.family] = spec


def unregister(family: str) -> None:
    _extra.pop(family, None)


def families() -> dict[str, FamilySpec]:
    """Every available family by name, built-in and plugin alike."""
    return {**_discovered(), **_extra}


def presets() -> dict[str, tuple[FamilySpec, Preset]]:
    """Every model name (preset) with its family."""
    out: dict[str, tuple[FamilySpec, Preset]] = {}
    for spec in families().values():
        for preset in spec.presets:
            out[preset.name] = (spec, preset)
    return out


#: What a model of each task does, as the list of known models says it.
_DOES = {
    Task.T2V: "makes a video from a prompt",
    Task.I2V: "makes a video from a start image",
    Task.V2V: "restyles a source video",
    Task.KEYFRAMES: "follows keyframe images",
    Task.EXTEND: "extends a clip",
    Task.AUDIO: "makes a video with sound",
    Task.AVATAR: "makes a talking head from a face and a voice",
}


def first_models(task: Task | None = None) -> tuple[list[str], str]:
    """The first model of each family that does ``task`` (None: that makes a video from a prompt or an
    image, so the avatar-only reelgen-lipsync is not offered for a prompt), and what they do, in words."""
    wanted = {task} if task is not None else {Task.T2V, Task.I2V}
    does = _DOES[task] if task is not None else "makes a video from a prompt or an image"
    firsts = []
    for _, spec in sorted(families().items()):
        first = next((p.name for p in spec.presets if wanted & p.tasks), None)
        if first is not None:
            firsts.append(first)
    return firsts, does


def resolve(model: str, task: Task | None = None) -> tuple[FamilySpec, Preset]:
    """The family and preset of ``model``; unknown names get the closest known ones, or else the first
    model of each family that does ``task`` (None: makes a video from a prompt or an image)."""
    known = presets()
    if model in known:
        return known[model]
    if not model.strip():  # it matched every model without a repository (the built-in and tiny ones)
        raise ModelNotAvailable(
            f"the model name {model!r} is empty; give one such as reelgen-micro, the built-in model "
            "(`reelgen models` lists every model with its tasks and rules)",
            param="model",
        )
    # A Hugging Face repository id, as diffusers' from_pretrained takes, names the models made from it.
    repo = sorted(name for name, (_, p) in known.items() if p.repo_id and p.repo_id.lower() == model.lower())
    # Names are lower case; "LTX-2B" (as model cards write it) was nowhere near "ltx-2b" to difflib.
    # Asked for a task, only the models that do it are offered ("reelgen-mikro" for a prompt was offered
    # the avatar-only reelgen-lipsync beside reelgen-micro).
    by_lower = {name.lower(): name for name, (_, p) in known.items() if task is None or task in p.tasks}
    close = repo or [
        by_lower[n] for n in difflib.get_close_matches(model.lower(), list(by_lower), n=3, cutoff=0.5)
    ]
    # With a near name to offer, the other 70-odd names only bury it; without one, all of them were one
    # line of 68 names to read through: the first of each family says which kinds there are.
    if close:
        raise ModelNotAvailable(
            f"unknown model {model!r}; did you mean {', '.join(close)}? "
            "(`reelgen models` lists every model with its tasks and rules)",
            param="model",
        )
    firsts, does = first_models(task)
    raise ModelNotAvailable(
        f"unknown model {model!r}; no known model is named like it; known models: {', '.join(firsts)} (the "
        f"first of each family that {does}; `reelgen models` lists all {len(known)} with their tasks and rules)",
        param="model",
    )


def options_model(model: str) -> type[BaseModel]:
    """The options model of ``model``'s family (``NoOptions`` for a model unknown here)."""
    found = presets().get(model)
    return found[0].options if found else NoOptions


def families_supporting(task: Task) -> list[str]:
    return sorted(name for name, spec in families().items() if task in spec.tasks)


def kin_supporting(task: Task, preset: Preset) -> list[str]:
    """Models of ``preset``'s own family that do ``task``: tiny ones for a tiny model, real ones otherwise."""
    spec = families().get(preset.family)
    found = [p.name for p in spec.presets if task in p.tasks and p.tiny == preset.tiny] if spec else []
    return sorted(found)
