"""A safetensors file's JSON header, read without loading a tensor: what it holds, and whether it is whole."""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

#: The safetensors format caps its JSON header at 100 MB.
HEADER_LIMIT = 100_000_000
#: How a file that is not (or no longer) safetensors is said, by every part that reads one.
NOT_READABLE = "is not a readable .safetensors file (damaged, cut short, or another format)"
#: How a Git LFS pointer begins: what `git clone` of a model or LoRA repository leaves in a weight file's
#: place where git-lfs is not installed.
LFS_POINTER = b"version https://git-lfs"
#: Such a pointer, said: "not a readable .safetensors file" sent people to download it again the same way.
LFS_SAID = (
    "is a Git LFS pointer, not the file itself (cloned without git-lfs): run `git lfs pull` in the folder "
    "it was cloned into, or download the file"
)


class NotSafetensors(ValueError):
    """The file cannot be a safetensors file; the message says why in a clause."""


def read_header(path: Path) -> dict[str, Any]:
    """The header: tensor name -> {dtype, shape, data_offsets}, plus an optional ``__metadata__``."""
    return _read(path)[0]


def _read(path: Path) -> tuple[dict[str, Any], int]:
    """The header and how many bytes of tensor data follow it in the file."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        start = fh.read(len(LFS_POINTER))
        if start == LFS_POINTER:
            raise NotSafetensors(LFS_SAID)
        raw = start[:8]
        if len(raw) < 8:
            raise NotSafetensors(NOT_READABLE)
        fh.seek(8)
        (length,) = struct.unpack("<Q", raw)
        # A header longer than the file, or than the format allows, is another format's bytes.
        if length > min(size - 8, HEADER_LIMIT):
            raise NotSafetensors(NOT_READABLE)
        try:
            header = json.loads(fh.read(length))
        except ValueError:
            raise NotSafetensors(NOT_READABLE) from None
    if not isinstance(header, dict):
        raise NotSafetensors(NOT_READABLE)
    return header, size - 8 - length


def tensors(header: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The header's tensor entries, without its metadata."""
    return {
        name: entry for name, entry in header.items() if name != "__metadata__" and isinstance(entry, dict)
    }


def check_whole(path: Path) -> dict[str, Any]:
    """The header of a file whose tensors all lie inside it; ``NotSafetensors`` for one cut short.

    A copy or download that stopped part-way keeps its header, so only the
    tensors' offsets against the file's size tell it from a whole one.
    """
    header, held = _read(path)
    offsets = [entry.get("data_offsets") for entry in tensors(header).values()]
    needed = max((o[-1] for o in offsets if isinstance(o, list) and o and isinstance(o[-1], int)), default=0)
    if needed > held:
        raise NotSafetensors(
            f"is cut short: its tensors take {needed:,} bytes and the file holds {held:,} "
            "(copy or download it again)"
        )
    return header
