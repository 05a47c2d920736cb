"""How much memory a model's weight files take once loaded in float32, read from the files themselves.

A CPU run holds every weight in RAM in float32, so this is what it must find
free before loading. Safetensors files state each tensor's shape in their
header, which gives the exact count of weights whatever dtype they are stored
in; other formats count by their size on disk, a lower bound. Only the files
a load reads are counted: the component folders ``model_index.json`` names
(a hub repository often holds other checkpoints beside them), one set of files
per folder (``model.safetensors`` rather than a ``.bin`` copy of it or an
``fp16`` variant as well).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from reelgen.core.safetensors_file import NotSafetensors, read_header, tensors
from reelgen.core.spec.memory import BLOCK_PARTS, GIB
from reelgen.core.weights import WEIGHT_SUFFIXES, WeightSource

#: ``name[.variant][-00001-of-00004].suffix``: the variant tag tells apart copies of one part.
_FILE = re.compile(r"^(?P<name>[^.]+?)(?:\.(?P<variant>[^.-]+))?(?:-\d+-of-\d+)?$")


def float32_gib(source: WeightSource) -> float:
    """GiB the weights of ``source`` take in float32, counted from the files a load reads."""
    if source.kind == "single_file":
        files = [source.path]
        if source.base is not None:
            # The file is the denoiser; the base folder supplies the other parts.
            files += _folder_files(source.base, skip=BLOCK_PARTS)
    else:
        files = _folder_files(source.path)
    return sum(_float32_bytes(f) for f in files) / GIB


def _folder_files(root: Path, skip: tuple[str, ...] = ()) -> list[Path]:
    index = root / "model_index.json"
    try:
        parts = json.loads(index.read_text())
    except (OSError, ValueError):
        parts = None
    if isinstance(parts, dict):
        # A part is ``[library, class]``; ``[null, null]`` is one the pipeline goes without.
        folders = [root / name for name, value in parts.items() if isinstance(value, list) and any(value)]
    else:
        folders = [root]  # one part on its own
    files: list[Path] = []
    for folder in folders:
        if folder.name not in skip and folder.is_dir():
            files += _one_set(folder)
    return files


def _one_set(folder: Path) -> list[Path]:
    """The weight files of one part: safetensors over other formats, then the first variant tag (none first)."""
    found = [p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in WEIGHT_SUFFIXES]
    safetensors = [p for p in found if p.suffix.lower() in (".safetensors", ".sft")]
    found = safetensors or found
    tags = {p: _variant(p) for p in found}
    first = min(tags.values(), default="")
    return [p for p, tag in tags.items() if tag == first]


def _variant(path: Path) -> str:
    match = _FILE.match(path.stem)
    return (match["variant"] or "") if match else ""


def _float32_bytes(path: Path) -> int:
    """Four bytes per weight for safetensors (from the header's shapes); the file's size otherwise."""
    try:
        size = path.stat().st_size
    except OSError:
        return 0  # gone or unreadable: the load itself reports it, naming the file
    if path.suffix.lower() not in (".safetensors", ".sft"):
        return size
    try:
        header = read_header(path)
    except (OSError, NotSafetensors):
        return size  # not a safetensors file after all: its loader says so, naming it
    count = 0
    for entry in tensors(header).values():
        shape = entry.get("shape")
        if isinstance(shape, list) and all(isinstance(side, int) for side in shape):
            count += math.prod(shape)
    return 4 * count
