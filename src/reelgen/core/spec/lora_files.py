"""What a LoRA file must be before any model loads: named, found, whole, safetensors and holding LoRA keys."""

from __future__ import annotations

import re
import struct
from pathlib import Path
from typing import Any

from reelgen.core import safetensors_file

#: A file with no LoRA key, as the request check and the loader both say it.
NO_LORA_LAYERS = "holds no LoRA weights (none of its keys names a lora layer)"

#: The names a safetensors LoRA file goes by: ``.sft`` is the short form some trainers and hubs write.
LORA_SUFFIXES = (".safetensors", ".sft")

#: What a LoRA file may be, said wherever one of another format is refused.
LORA_FORMATS = (
    "LoRAs are taken as .safetensors files only (a .bin, .pt or .ckpt LoRA must be converted first)"
)


#: A LoRA's file as the core names it (``loras[0].path``); a create body names it by ``loras[0].name``.
_CORE_NAME = re.compile(r"loras\[\d+\]\.path")


def api_named(param: str | None) -> str | None:
    """``param`` as the API names it: a LoRA's file is ``loras[0].name`` there, where the core's
    ``loras[0].path`` is a field no API request has. Any other param as it came."""
    if param and _CORE_NAME.fullmatch(param):
        return param.removesuffix(".path") + ".name"
    return param


def lora_file_problem(path: Path) -> str | None:
    """What makes a LoRA file unusable whatever model it goes into, or None.

    Whether its layers fit the model only loading tells; a file that is not
    safetensors (a .bin, .pt or .ckpt pickle, a renamed text file), cut short, or
    without a single LoRA key is known from its header, before the model loads.
    """
    try:
        header = safetensors_file.check_whole(path)
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    except safetensors_file.NotSafetensors as exc:
        if path.suffix.lower() in LORA_SUFFIXES:
            return str(exc)
        # Found only once the model had loaded (minutes on a GPU); and a pickle runs code as it loads.
        return f"is not a .safetensors file; {LORA_FORMATS}"
    # diffusers' own test: every LoRA format it converts names its layers' keys "lora" somewhere.
    entries = safetensors_file.tensors(header)
    if extra := _past_the_end(path, entries):
        return extra
    if not any("lora" in name.lower() for name in entries):
        return NO_LORA_LAYERS
    return _unpaired(entries)


def _past_the_end(path: Path, entries: dict[str, dict[str, Any]]) -> str | None:
    """Bytes after the last tensor's end, said, or None. safetensors refuses such a file ("incomplete
    metadata, file not fully covered") only once the model has loaded, on the worker: listed as usable
    and accepted at create, its job then failed."""
    try:
        with path.open("rb") as fh:
            (length,) = struct.unpack("<Q", fh.read(8))
        held = path.stat().st_size - 8 - length
    except (OSError, struct.error):
        return None  # read whole a moment ago: the loader says what became of it
    ends = [entry.get("data_offsets") for entry in entries.values()]
    needed = max((o[-1] for o in ends if isinstance(o, list) and o and isinstance(o[-1], int)), default=0)
    if held <= needed:
        return None
    return (
        f"is damaged: {held - needed:,} bytes follow its tensors' end (they take {needed:,} bytes and the "
        f"file holds {held:,}), which safetensors refuses; copy or download it again"
    )


#: How each layout names a layer's two halves: PEFT, kohya, diffusers' old processor and text-encoder keys.
_HALVES = (
    (".lora_A.", ".lora_B."),
    (".lora_down.", ".lora_up."),
    ("_lora.down.", "_lora.up."),
    (".lora.down.", ".lora.up."),
    (".lora_linear_layer.down.", ".lora_linear_layer.up."),
)


def _unpaired(entries: dict[str, dict[str, Any]]) -> str | None:
    """A layer with one half and not the other, or halves of two ranks: said naming it, or None.

    diffusers and peft take such a file and fail on it once the model has loaded, with "list
    index out of range" or a size mismatch blamed on the model.
    """
    for down, up in _HALVES:
        for key in entries:
            if not key.endswith(".weight"):  # a lora_B.bias has no lora_A partner
                continue
            for has, lacks in ((down, up), (up, down)):
                if has not in key:
                    continue
                partner = key.replace(has, lacks, 1)
                layer = key.split(has)[0]
                named_has, named_lacks = has.strip("._"), lacks.strip("._")
                if partner not in entries:
                    return (
                        f"is damaged: its layer {layer} has its {named_has} half and no {named_lacks} "
                        "half (each LoRA layer is a pair); copy or download it again"
                    )
                ranks = _rank(entries[key], 0), _rank(entries[partner], 1)
                if has == down and None not in ranks and ranks[0] != ranks[1]:
                    return (
                        f"is damaged: its layer {layer} has a {named_has} half of rank {ranks[0]} and a "
                        f"{named_lacks} half of rank {ranks[1]} (the two must match); copy or download it again"
                    )
    return None


def _rank(entry: dict[str, Any], axis: int) -> int | None:
    """The length of axis ``axis`` of a tensor's header entry; None for a shape without it."""
    shape = entry.get("shape")
    if isinstance(shape, list) and len(shape) >= 2 and isinstance(shape[axis], int):
        return shape[axis]
    return None
