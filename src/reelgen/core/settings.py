"""Where reelgen keeps things on disk; every path can be moved by an environment variable."""

from __future__ import annotations

import os
from pathlib import Path


def _set_or(name: str, default: Path) -> Path:
    """The folder variable ``name`` names, or ``default`` when it is unset or empty.

    Empty is unset, as the job store and Hugging Face read theirs: ``Path("")``
    is the current folder, which scattered tiny builds and the speech cache
    into wherever a command ran. ``~`` and ``$VAR`` are expanded as in
    ``hf_cache_dir``: ``REELGEN_MODELS_DIR=~/models`` from an env or unit file
    (no shell to expand it) was a folder named ``~`` in the current folder.
    """
    value = os.path.expandvars(os.path.expanduser(os.environ.get(name, "")))
    return Path(value) if value else default


def home() -> Path:
    """reelgen's data dir: tiny builds, hash cache, job store (``REELGEN_HOME``)."""
    return _set_or("REELGEN_HOME", Path.home() / ".cache" / "reelgen")


def models_dir() -> Path:
    """A folder of local model folders named like presets (``REELGEN_MODELS_DIR``)."""
    return _set_or("REELGEN_MODELS_DIR", home() / "models")


def lora_dir() -> Path:
    """The server's LoRA folder, which API requests name LoRAs inside (``REELGEN_LORA_DIR``)."""
    return _set_or("REELGEN_LORA_DIR", home() / "loras")


def hf_cache_dir() -> Path:
    """The Hugging Face hub cache, read at call time so ``HF_HUB_CACHE``/``HF_HOME`` changes apply.

    ``~`` and ``$VAR`` are expanded as huggingface_hub expands them (``$HOME/hf`` from an env file was a
    folder named ``$HOME`` here), and a variable set empty counts as unset (it was the current folder).
    """
    for name, below in (("HF_HUB_CACHE", ""), ("HUGGINGFACE_HUB_CACHE", ""), ("HF_HOME", "hub")):
        value = os.path.expandvars(os.path.expanduser(os.environ.get(name, "")))
        if value:
            return Path(value) / below
    # huggingface_hub's own default, worked out here: its constants took an empty HF_HOME as "" ("hub").
    cache = os.path.expandvars(os.path.expanduser(os.environ.get("XDG_CACHE_HOME") or "~/.cache"))
    return Path(cache) / "huggingface" / "hub"
