"""Finds enhancers through the ``reelgen.enhancers`` entry-point group and resolves a request's chain."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from fractions import Fraction
from functools import cache
from importlib.metadata import entry_points

from pydantic import ValidationError

from reelgen.core.enhance.base import Enhancer, Shape
from reelgen.core.errors import InvalidRequest, from_validation_error
from reelgen.core.spec.numbers import validate_options
from reelgen.core.spec.request import EnhanceStep
from reelgen.core.types import to_fraction

log = logging.getLogger(__name__)

GROUP = "reelgen.enhancers"

_extra: dict[str, type[Enhancer]] = {}

#: A stage's options that a flag of its own sets (``--interpolate``/``--target-fps``, ``--upscale``/
#: ``--upscaler``), by kind of stage: ``--option`` refuses them, so a run from flags leaves them off
#: the list of what the stage takes. Keyed by kind: RIFE's ``scale`` is its flow resolution.
FLAG_SET: dict[str, tuple[str, ...]] = {
    "interpolate": ("factor", "target_fps"),
    "upscale": ("scale", "model"),
}


@cache
def _discovered() -> dict[str, type[Enhancer]]:
    found: dict[str, type[Enhancer]] = {}
    for ep in entry_points(group=GROUP):
        try:
            cls = ep.load()
        except Exception as exc:  # a broken plugin must not take the others down
            log.warning("enhancer plugin %r (%s) failed to load: %s", ep.name, ep.value, exc)
            continue
        if not (isinstance(cls, type) and issubclass(cls, Enhancer)):
            log.warning("enhancer plugin %r (%s) is not an Enhancer; skipped", ep.name, ep.value)
            continue
        found[cls.name] = cls
    return found


def register(cls: type[Enhancer]) -> None:
    """Add an enhancer at run time (tests, notebooks); entry points are the normal way."""
    _extra[cls.name] = cls


def unregister(name: str) -> None:
    _extra.pop(name, None)


def enhancers() -> dict[str, type[Enhancer]]:
    """Every available enhancer by name, built-in and plugin alike."""
    return {**_discovered(), **_extra}


def build(step: EnhanceStep) -> Enhancer:
    """The enhancer of a resolved step, with its options as its own model."""
    cls = enhancers()[step.name]
    return cls(cls.options_model.model_validate(step.options))


def resolve_chain(
    steps: Sequence[EnhanceStep],
    width: int,
    height: int,
    frames: int,
    fps: float | Fraction,
    *,
    from_flags: bool = False,
) -> tuple[EnhanceStep, ...]:
    """Each step checked (name, options, what it can do with the clip before it), defaults filled in.

    ``from_flags``: the steps were made from ``reelgen enhance``'s flags, so an unknown option is
    told only the options that ``--option`` takes (see ``FLAG_SET``).
    """
    known = enhancers()
    shape = Shape(width, height, frames, to_fraction(fps))
    out = []
    for i, step in enumerate(steps):
        cls = known.get(step.name)
        if cls is None:
            valid = ", ".join(sorted(known)) or "none installed"
            raise InvalidRequest(
                f"enhance[{i}].name: no enhancer {step.name!r}; available: {valid}",
                param=f"enhance[{i}].name",
            )
        try:
            options = validate_options(cls.options_model, step.options)
        except ValidationError as exc:
            error = from_validation_error(exc, prefix=f"enhance[{i}].options.", model=cls.options_model)
            if exc.errors()[0]["type"] == "extra_forbidden":  # say what the stage does take
                error = InvalidRequest(_with_takes(error.message, cls, from_flags), param=error.param)
            raise error from None
        shape = cls(options).output_shape(shape)
        out.append(EnhanceStep(name=step.name, options=options.model_dump(mode="json")))
    return tuple(out)


def _with_takes(message: str, cls: type[Enhancer], from_flags: bool) -> str:
    """``message`` ending in the options the stage takes; from flags, those no flag sets: it listed
    ``factor`` to a run of ``--interpolate 2``, and ``--option flow.factor=2`` was then refused."""
    flagged = FLAG_SET.get(cls.stage, ()) if from_flags else ()
    takes = ", ".join(name for name in cls.options_model.model_fields if name not in flagged)
    joint = " " if message.endswith("?") else "; "  # after "did you mean X?" a space
    return f"{message}{joint}{cls.name} " + (f"takes: {takes}" if takes else "takes no other options")


def chain_shape(steps: Sequence[EnhanceStep], shape: Shape) -> Shape:
    """The clip a resolved chain delivers from ``shape``, as encoded (see ``encoded``)."""
    for step in steps:
        shape = build(step).output_shape(shape)
    return encoded(shape)


def encoded(shape: Shape) -> Shape:
    """``shape`` as the encoder writes it: every container holds yuv420p, whose sides are even, so
    an odd side gains one replicated row or column. A job promising 65x47 got a 66x48 file and failed."""
    return Shape(shape.width + shape.width % 2, shape.height + shape.height % 2, shape.frames, shape.fps)
