"""An item's content key: a hash of everything that decides its pixels, input files by content."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reelgen.core.content_hash import content_hash

if TYPE_CHECKING:
    from reelgen.core.batch.plan import PlannedItem

#: Bumped when the way an item becomes pixels changes, so every output is made again.
KEY_VERSION = 1


def content_key(planned: PlannedItem) -> str:
    """A hash of everything that decides the item's pixels; input files count by content, not path."""
    paths = list(planned.images)
    if planned.request is not None:
        paths += [p for _, p in planned.request.input_files()] + [lora.path for lora in planned.request.loras]
    data = {
        "version": KEY_VERSION,
        "container": Path(planned.video).suffix.lower(),
        "request": planned.request.model_dump(mode="json") if planned.request else None,
        "ken_burns": planned.ken_burns.model_dump(mode="json") if planned.ken_burns else None,
        "motion": planned.motion,
    }
    return content_hash(data, paths)
