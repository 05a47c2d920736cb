"""Parts a model loads from other Hugging Face repos: found in the local cache, hashed into the run record.

FramePack borrows HunyuanVideo's text encoders and VAE and FLUX Redux's image
encoder; AnimateDiff joins a motion adapter (and camera-move LoRAs) to an SD1.5
base. ``reelgen pull`` fetches a preset's companions; nothing here downloads.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reelgen.core import settings
from reelgen.core.errors import ModelNotAvailable

if TYPE_CHECKING:
    from reelgen.core.weights import WeightSource


def cached(repo: str, parts: tuple[str, ...] = ()) -> Path | None:
    """``repo``'s snapshot in the Hugging Face cache if it holds every folder in ``parts``; else None.

    As ``weights.locate`` finds it: a repo pulled with some files skipped on purpose (FramePack's
    HunyuanVideo base without its transformer) counts, where the hub's own look-up calls it incomplete.
    """
    from reelgen.core.weights import cached_snapshot

    folder = cached_snapshot(repo, None)
    if folder is None:
        return None
    return folder if all((folder / part).is_dir() for part in parts) else None


def require(repo: str, what: str, param: str = "model") -> Path:
    """``repo``'s snapshot in the Hugging Face cache, or an error saying what needs it and how to fetch it."""
    folder = cached(repo)
    if folder is None:
        raise ModelNotAvailable(
            f"{what} needs {repo}, which is not in the Hugging Face cache at "
            f"{settings.hf_cache_dir()}. Fetch it with `hf download {repo}` "
            "(`reelgen pull` fetches a preset's base and companions together)",
            param=param,
        )
    return folder


def record(source: WeightSource, repo: str, folder: Path, parts: tuple[str, ...] = ("",)) -> None:
    """Add the hashes of ``repo``'s weight files (in ``parts``) to ``source``'s, keyed ``repo/part/file``."""
    from reelgen.core.weights import sha256_file, weight_hashes

    if not source.hashes:
        weight_hashes(source)
    for part in parts:
        for file in sorted((folder / part).glob("*.safetensors")):
            source.hashes["/".join(p for p in (repo, part, file.name) if p)] = sha256_file(file)
