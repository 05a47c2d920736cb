"""An item's content key: a hash of everything that decides its pixels, input files by content."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reelgen.core.batch.plan import PlannedItem

#: Bumped when the way an item becomes pixels changes, so every output is made again.
KEY_VERSION = 1


def content_key(planned: PlannedItem) -> str:
    """A hash of everything that decides the item's pixels; input files count by content, not path."""
    from reelgen.core.weights import sha256_file

    paths = list(planned.images)
    if planned.request is not None:
        paths += [p for _, p in planned.request.input_files()] + [lora.path for lora in planned.request.loras]
    files = {p: f"sha256:{sha256_file(Path(p))}" for p in paths}
    data = {
        "version": KEY_VERSION,
        "container": Path(planned.video).suffix.lower(),
        "request": planned.request.model_dump(mode="json") if planned.request else None,
        "ken_burns": planned.ken_burns.model_dump(mode="json") if planned.ken_burns else None,
        "motion": planned.motion,
    }
    text = json.dumps(_swap(data, files), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _swap(value: Any, files: dict[str, str]) -> Any:
    """``value`` with every input path replaced by its file's hash."""
    if isinstance(value, str):
        return files.get(value, value)
    if isinstance(value, list):
        return [_swap(v, files) for v in value]
    if isinstance(value, dict):
        return {k: _swap(v, files) for k, v in value.items()}
    return value
