"""A create or remix body made into the core's ``GenerationRequest``, with the server's limits applied."""

from __future__ import annotations

import os
from typing import Any, cast

from annotated_types import Ge, Gt, Le, Lt
from pydantic import ValidationError

from reelgen.api.enhance_fields import check_names
from reelgen.api.errors import ApiError, from_reelgen
from reelgen.api.lengths import parse_seconds, parse_size
from reelgen.api.loras import lora_path
from reelgen.api.priority_cap import above_cap
from reelgen.api.settings import ApiSettings
from reelgen.api.wire import CREATE_FIELDS, REMIX_FIELDS, check_text_limits
from reelgen.core.auto_model import auto_model
from reelgen.core.errors import BOUND_ERRORS, ReelgenError, from_validation_error
from reelgen.core.spec.request import GenerationRequest, ResolvedRequest
from reelgen.core.spec.resolve import check_prompt


def to_request(body: Any, settings: ApiSettings, inputs: dict[str, Any]) -> GenerationRequest:
    """The core request a create body asks for (with the server's saved ``inputs``); limits checked.

    LoRAs are looked up in the server's LoRA folder here: a name outside it is a 400.
    """
    check_text_limits(body, settings.max_prompt_chars)
    if body.priority > settings.max_priority:
        raise above_cap(body.priority, settings.max_priority)
    if body.num_frames is not None and body.seconds is not None:
        raise ApiError(
            400, "seconds: give a frame count (num_frames) or a length (seconds), not both", param="seconds"
        )
    width, height = parse_size(body.size)
    fields = body.model_dump(include=set(CREATE_FIELDS), exclude_unset=True)
    check_names(fields)
    fields.update(model=body.model or settings.default_model, seconds=parse_seconds(body.seconds), **inputs)
    fields["loras"] = [
        {"path": str(lora_path(settings.lora_dir, lora.name, f"loras[{i}].name")), "strength": lora.strength}
        for i, lora in enumerate(body.loras or [])
    ]
    fields.update({k: v for k, v in (("width", width), ("height", height)) if v is not None})
    request = _validated(fields, size=body.size)
    if request.model == "auto":  # what the CLI's default means, for the task the inputs ask for
        try:
            chosen, _why = auto_model(request.inferred_task())
        except ReelgenError as exc:
            raise from_reelgen(exc) from None
        request = request.model_copy(update={"model": chosen})
    try:
        check_prompt(request)
    except ReelgenError as exc:
        raise from_reelgen(exc) from None
    return request


def remix_request(parent: ResolvedRequest, body: Any) -> GenerationRequest:
    """A new request: the parent's resolved fields with the remix's overrides, to be resolved afresh.

    A ``guidance_2`` that only followed ``guidance`` (one-expert models) follows the new one.
    """
    data = parent.model_dump(mode="json")
    data["loras"] = _first_of_each(data.get("loras") or [])
    overrides = body.model_dump(include=set(REMIX_FIELDS), exclude_none=True)
    if "guidance" in overrides and parent.guidance_2 == parent.guidance:
        data.pop("guidance_2")
    request = _validated({**data, **overrides})
    try:
        check_prompt(request)  # an empty new prompt is refused as on create, not rendered unconditioned
    except ReelgenError as exc:
        raise from_reelgen(exc) from None
    return request


def _first_of_each(loras: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The parent's LoRAs with a repeat of one file dropped, the first kept.

    A video made before one LoRA twice was refused (0e24c81b) could no longer be remixed: a 400
    "loras[1]: ... is given twice", for a field the remix body never sent.
    """
    seen: set[tuple[str, str | None]] = set()
    kept = []
    for lora in loras:
        # The same key the request's own check uses (reelgen.core.spec.lora_once).
        where = (os.path.normpath(os.path.abspath(os.path.expanduser(lora["path"]))), lora.get("weight_name"))
        if where not in seen:
            seen.add(where)
            kept.append(lora)
    return kept


def _validated(fields: dict[str, Any], size: str | None = None) -> GenerationRequest:
    """``fields`` as the core's request; a side of ``size`` past its bounds is said of ``size``."""
    try:
        return GenerationRequest.model_validate(fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        side = first["loc"][0] if first["loc"] else None
        if size is not None and side in ("width", "height") and first["type"] in BOUND_ERRORS:
            raise _size_refused(size, str(side), first) from None
        raise from_reelgen(from_validation_error(exc, model=GenerationRequest)) from None


def _size_refused(size: str, side: str, error: Any) -> ApiError:
    """``size: '99999x99999' is too large (width 99999); ...``: the field the client sent, where
    "width: 99999 is too large" named one the body never had."""
    info = GenerationRequest.model_fields[side]
    # The request's own bounds (a whole number above 0, at most 16384), read, not copied here.
    rules: list[Any] = list(info.metadata)
    low: int = next(
        cast(int, r.ge) if isinstance(r, Ge) else cast(int, r.gt) + 1 for r in rules if isinstance(r, Ge | Gt)
    )
    high: int = next(
        cast(int, r.le) if isinstance(r, Le) else cast(int, r.lt) - 1 for r in rules if isinstance(r, Le | Lt)
    )
    too = "large" if error["type"].startswith("less") else "small"
    end = f"the largest size taken is {high}x{high}" if too == "large" else f"the smallest is {low}x{low}"
    return ApiError(
        400,
        f"size: {size.strip()!r} is too {too} ({side} {error['input']}); give WIDTHxHEIGHT with each side "
        f"from {low} to {high}, e.g. 832x480 ({end})",
        param="size",
        code="invalid_request",
    )
