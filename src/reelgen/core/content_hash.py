"""A short hash of what decides some pixels, each input file counted by its content rather than its path."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def content_hash(data: Any, paths: Iterable[str]) -> str:
    """20 hex digits of ``data`` as sorted JSON, with each of ``paths`` in it swapped for its file's SHA-256:
    a file moved keeps the hash, a file edited in place changes it."""
    from reelgen.core.weights import sha256_file

    files = {p: f"sha256:{sha256_file(Path(p))}" for p in paths}
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
