"""What a model folder lacks: the parts its model_index.json names, and the weight files of each part."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from pathlib import Path

WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth", ".ckpt", ".gguf", ".sft")


def missing_parts(folder: Path, *, copied: bool = False) -> list[str]:
    """What a model folder lacks, empty when whole: the parts its model_index.json names that are
    not there; a part (or, without model_index.json, the folder itself) holding a model's
    config.json and no weight file; a file a sharded checkpoint's index lists that is not there.

    With ``copied`` (a folder copied or cloned by hand) a weight file that is not all there counts
    too: a safetensors file cut short, or a Git LFS pointer in the file's place. A pull's files are
    renamed into place once whole, so only a copy's are read (their headers only).
    """
    try:
        index = json.loads((folder / "model_index.json").read_text())
    except FileNotFoundError:
        index = None  # one model's repo (FramePack's transformer, a motion adapter): the folder is the part
    except (OSError, ValueError):
        return ["model_index.json (unreadable)"]
    if not isinstance(index, dict):
        return _readable(folder, ".", partial(_missing_in, folder, ".", copied))
    missing: list[str] = []
    for name, entry in index.items():
        # ["diffusers", "AutoencoderKLWan"] is a part; [null, null] (left out) and "_class_name" are not.
        if name.startswith("_") or not isinstance(entry, list) or None in entry:
            continue
        weightless = str(entry[-1]).endswith(_WEIGHTLESS)  # a tokenizer or a scheduler has configs only
        missing += _readable(folder / name, name, partial(_part, folder / name, name, weightless, copied))
    return missing


def _part(part: Path, name: str, weightless: bool, copied: bool) -> list[str]:
    if not part.is_dir() or not any(part.iterdir()):
        return [name]
    return [] if weightless else _missing_in(part, name, copied)


def _readable(part: Path, name: str, check: Callable[[], list[str]]) -> list[str]:
    """What ``check`` finds missing in ``part``; the part itself when this account cannot list it.

    Raised, PermissionError made `reelgen models` an internal error and GET /v1/models a 500.
    """
    try:
        return check()
    except OSError as exc:
        return [f"{name if name != '.' else part.name} (unreadable: {exc.strerror or exc})"]


#: Ends of the class names of a pipeline's parts that hold no weights, whatever files they keep.
_WEIGHTLESS = ("Tokenizer", "TokenizerFast", "Processor", "Scheduler", "FeatureExtractor")


def _missing_in(part: Path, name: str, copied: bool) -> list[str]:
    """A model part's missing weights: none beside its config.json, or shards its index lists."""
    files = [p for p in part.iterdir() if p.exists()]  # a dangling link is a file not downloaded
    weights = [p for p in files if p.suffix.lower() in WEIGHT_SUFFIXES]
    missing = []
    if (part / "config.json").is_file() and not weights:
        missing.append(f"{name} weights" if name != "." else "weights")
    for shards in (p for p in files if p.name.endswith(".index.json")):
        try:
            listed = set(json.loads(shards.read_text())["weight_map"].values())
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue  # not an index this check understands; the loader says what is wrong with it
        missing += sorted(f"{name}/{f}" if name != "." else f for f in listed if not (part / f).exists())
    for weight in sorted(weights) if copied else ():
        # Found only by the load, after the memory plan: "Unable to load weights from checkpoint file",
        # or diffusers' git-lfs advice, while `reelgen models` called the folder ready.
        problem = _not_whole(weight)
        if problem:
            missing.append(
                f"{name}/{weight.name} ({problem})" if name != "." else f"{weight.name} ({problem})"
            )
    return missing


def _not_whole(path: Path) -> str | None:
    """Why a weight file is not all there: empty, cut short, or a Git LFS pointer in its place; None when
    it is whole, or when only its loader can tell what it is (another format under this name)."""
    from reelgen.core.safetensors_file import (
        HEADER_LIMIT,
        LFS_POINTER,
        NOT_READABLE,
        NotSafetensors,
        check_whole,
    )

    try:
        size = path.stat().st_size
        if size == 0:  # a copy stopped before its first byte
            return "empty"
        with path.open("rb") as fh:
            start = fh.read(len(LFS_POINTER))
        if start == LFS_POINTER:
            return "a Git LFS pointer, not the file: run `git lfs pull` in the folder it was cloned into"
        if path.suffix.lower() in (".safetensors", ".sft"):
            check_whole(path)
    except OSError:
        return None  # unreadable: the load says so, naming the file
    except NotSafetensors as exc:
        # Cut inside its header: the length it begins with is a header's, and runs past the file's end.
        header = int.from_bytes(start[:8], "little") if len(start) >= 8 else None  # under 8 bytes: anything
        cut = header is not None and size - 8 < header <= HEADER_LIMIT
        return "cut short" if str(exc) != NOT_READABLE or cut else None
    return None
