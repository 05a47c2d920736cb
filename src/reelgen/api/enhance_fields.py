"""The enhancement fields a body may carry (interpolate, target_fps, interpolator, upscale, upscaler), names only.

Over HTTP a method is chosen by name: ``upscaler`` takes a method or a named
Real-ESRGAN model from the core's own lists, never a checkpoint path (which
would name a file on the server); ``interpolator`` takes an interpolation
method. Both are checked here so the 400 lists what is valid.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from reelgen.api.errors import ApiError
from reelgen.core.spec.numbers import bounded_both_ways
from reelgen.core.spec.request import EnhanceStep, GenerationRequest, rate_as_written

#: Core request fields that ask for enhancement, offered on every body that can enhance.
ENHANCE_FIELDS = ("interpolate", "target_fps", "interpolator", "upscale", "upscaler")


def _stage_names(stage: str) -> list[str]:
    from reelgen.core.enhance.registry import enhancers

    return sorted(name for name, cls in enhancers().items() if cls.stage == stage)


def interpolator_names() -> tuple[str, ...]:
    """``auto`` and each interpolation method installed (rife, flow ...)."""
    return ("auto", *_stage_names("interpolate"))


def upscaler_names() -> tuple[str, ...]:
    """``auto``, each upscaling method installed (esrgan, lanczos ...) and the named Real-ESRGAN models."""
    from reelgen.core.enhance.upscale.models import NAMED

    return ("auto", *_stage_names("upscale"), *NAMED)


def _looks_like_path(value: str) -> bool:
    from reelgen.core.enhance.upscale.models import CHECKPOINT_SUFFIXES

    parts = max(len(PurePosixPath(value).parts), len(PureWindowsPath(value).parts))
    return parts > 1 or value.startswith(("~", ".")) or value.lower().endswith(CHECKPOINT_SUFFIXES)


def check_names(fields: Mapping[str, Any]) -> None:
    """A 400 naming ``upscaler`` or ``interpolator`` when it is not one of the names offered over HTTP."""
    from reelgen.core.enhance.names import canonical, near_hint

    checks = (("upscaler", upscaler_names()), ("interpolator", interpolator_names()))
    for param, valid in checks:
        value = fields.get(param)
        # Any case, ``_`` for ``-`` and upstream's file names (RealESRGAN_x4plus) are known names.
        if value is None or canonical(str(value), valid) is not None:
            continue
        listed = ", ".join(valid)
        if param == "upscaler" and _looks_like_path(str(value)):
            raise ApiError(
                400,
                f"upscaler {value!r} names a file on the server; checkpoint files cannot be given over HTTP. "
                f"Valid: {listed}",
                param=param,
                code="server_side_parameter",
            )
        raise ApiError(
            400,
            f"{param} {value!r} is not known; valid: {listed}{near_hint(str(value), valid)}",
            param=param,
            code="invalid_value",
        )


def rate_in_range(value: Any) -> Any:
    """``target_fps`` as written (``rate_as_written``); 'nan' or 'inf' said as every other number field
    says one, with the range it takes: it heard "is not a frame rate; give e.g. 60" alone."""
    try:
        return rate_as_written(value)
    except ValueError:
        if not _infinite_or_nan(value):
            raise
        info = GenerationRequest.model_fields["target_fps"]
        takes = bounded_both_ways(info.annotation, info.metadata)
        raise ValueError(f"{value!r} is not a finite number; it takes {takes}") from None


def _infinite_or_nan(value: Any) -> bool:
    try:
        return not math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def chain_steps(fields: Mapping[str, Any]) -> list[EnhanceStep]:
    """The steps ``fields`` ask for, interpolation first (cheaper at the small size), methods chosen.

    The same reading ``reelgen.core.spec.resolve`` gives a request's fields;
    none at all is a 400, since enhancing with nothing to do makes no video.
    """
    steps = field_steps(fields)
    if not steps:
        raise ApiError(
            400,
            "nothing to do: give interpolate (2, 4 ...), target_fps or upscale (2, 4 ...)",
            param="interpolate",
        )
    refuse_unpulled(steps)
    return steps


def request_steps(request: GenerationRequest) -> list[EnhanceStep]:
    """The steps a create or remix request asks for: its fields' (methods chosen), then ``enhance``."""
    fields = request.model_dump(include=set(ENHANCE_FIELDS), exclude_none=True)
    return [*field_steps(fields), *request.enhance]


def field_steps(fields: Mapping[str, Any]) -> list[EnhanceStep]:
    """The steps ``fields`` ask for, interpolation first, methods chosen; none may be asked for."""
    from reelgen.core.enhance.auto import interpolation_step, upscale_step

    check_names(fields)
    interpolate, target_fps = fields.get("interpolate"), fields.get("target_fps")
    steps = []
    if interpolate is not None or target_fps is not None:
        steps.append(interpolation_step(interpolate, target_fps, fields.get("interpolator")))
    elif fields.get("interpolator") is not None:
        raise ApiError(
            400,
            "interpolator: picks how new frames are made; give a factor (interpolate) or a rate (target_fps) too",
            param="interpolator",
        )
    if fields.get("upscale") is not None:
        steps.append(upscale_step(fields["upscale"], fields.get("upscaler")))
    elif fields.get("upscaler") is not None:
        raise ApiError(
            400, "upscaler: picks how frames are enlarged; give a factor (upscale) too", param="upscaler"
        )
    return steps


def refuse_unpulled(steps: list[EnhanceStep]) -> None:
    """A 400 naming the field whose method needs weights this server has not pulled.

    The core's checks decide (``missing``, ``named_missing``: a named model needs the files of the
    scale asked for only). The core's words were for a person at the machine: the server's own path
    and "run `reelgen pull rife`", under ``param`` ``weights``, a field no body has.
    """
    from reelgen.core.enhance.auto import named_missing
    from reelgen.core.enhance.rife import RifeInterpolator
    from reelgen.core.enhance.upscale.models import NAMED

    for step in steps:
        if step.name == "rife" and RifeInterpolator.missing() is not None:
            raise ApiError(
                400,
                "interpolator rife: this server has no RIFE weights; choose flow, or auto "
                "(the best this server has)",
                param="interpolator",
            )
        model = NAMED.get(str(step.options.get("model", "realesr-animevideov3")))
        if step.name != "esrgan" or model is None:
            continue
        scale = _scale(step.options.get("scale"), max(model.scales))
        if named_missing(model.name, scale) is not None:
            raise ApiError(
                400,
                f"upscaler {step.options.get('model', 'esrgan')}: this server has no {model.name} "
                f"model{f' for x{scale}' if len(model.scales) > 1 else ''}; choose lanczos, or auto "
                "(the best this server has)",
                param="upscaler",
            )


def _scale(raw: Any, default: int) -> int:
    """A step's ``scale`` option as a whole number, or ``default`` (a stage's options, not checked yet:
    a value no number reads is the chain's to refuse, by name)."""
    try:
        return int(raw) if raw is not None and float(raw).is_integer() else default
    except (TypeError, ValueError, OverflowError):
        return default
