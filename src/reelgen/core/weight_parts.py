"""What a model folder lacks: the parts its model_index.json names, and the weight files of each part."""

from __future__ import annotations

import json
from pathlib import Path

WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth", ".ckpt", ".gguf", ".sft")


def missing_parts(folder: Path) -> list[str]:
    """What a model folder lacks, empty when whole: the parts its model_index.json names that are
    not there; a part (or, without model_index.json, the folder itself) holding a model's
    config.json and no weight file; a file a sharded checkpoint's index lists that is not there."""
    try:
        index = json.loads((folder / "model_index.json").read_text())
    except FileNotFoundError:
        index = None  # one model's repo (FramePack's transformer, a motion adapter): the folder is the part
    except (OSError, ValueError):
        return ["model_index.json (unreadable)"]
    if not isinstance(index, dict):
        return _missing_in(folder, ".")
    missing: list[str] = []
    for name, entry in index.items():
        # ["diffusers", "AutoencoderKLWan"] is a part; [null, null] (left out) and "_class_name" are not.
        if name.startswith("_") or not isinstance(entry, list) or None in entry:
            continue
        part = folder / name
        if not part.is_dir() or not any(part.iterdir()):
            missing.append(name)
        elif not str(entry[-1]).endswith(_WEIGHTLESS):  # a tokenizer or a scheduler has configs only
            missing += _missing_in(part, name)
    return missing


#: Ends of the class names of a pipeline's parts that hold no weights, whatever files they keep.
_WEIGHTLESS = ("Tokenizer", "TokenizerFast", "Processor", "Scheduler", "FeatureExtractor")


def _missing_in(part: Path, name: str) -> list[str]:
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
    return missing
