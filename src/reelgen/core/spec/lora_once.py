"""The check that a request names each LoRA file once, whichever way each is written."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

if TYPE_CHECKING:  # request.py takes this check in: named for types only
    from reelgen.core.spec.request import LoraSpec


def loras_once(loras: list[LoraSpec]) -> list[LoraSpec]:
    """``loras`` as given, or a refusal at the second entry naming a file (and weight) already named.

    Each entry is loaded and stacked, so one file twice (even as ``sub/../l.safetensors``) was a style
    twice as strong as asked, without a word. The file's name alone is said: an API client's LoRA lies
    in the server's folder, whose path is not the client's business.
    """
    seen: set[tuple[str, str | None]] = set()
    for i, lora in enumerate(loras):
        where = (os.path.normpath(os.path.abspath(os.path.expanduser(lora.path))), lora.weight_name)
        if where in seen:
            name = lora.weight_name or Path(lora.path).name
            words = f"{name} is given twice; give each LoRA once, with the one strength you want"
            # A ValidationError at (i,) is placed under the field: the refusal names loras[1], not loras.
            detail = InitErrorDetails(
                type=PydanticCustomError("value_error", words), loc=(i,), input=lora.path
            )
            raise ValidationError.from_exception_data("loras", [detail])
        seen.add(where)
    return loras
