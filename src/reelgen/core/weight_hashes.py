"""SHA-256 of weight and input files, kept in a cache in the data folder so big checkpoints are hashed once."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Protocol

from reelgen.core import settings
from reelgen.core.weight_parts import WEIGHT_SUFFIXES


class _Source(Protocol):
    """What ``weight_hashes`` reads of a ``weights.WeightSource``. Named, not imported: ``weights`` imports
    diffusers, and this module is also what request checks (``core.spec``, the speech cache) hash files with."""

    hashes: dict[str, str]

    @property
    def kind(self) -> str: ...

    @property
    def path(self) -> Path: ...


def _hash_key(path: Path) -> str:
    """The hash cache's key of a resolved ``path``: a changed size or time is a new file."""
    stat = path.stat()
    return f"{path}|{stat.st_size}|{stat.st_mtime_ns}"


def _read_cache(cache_file: Path) -> dict[str, str]:
    """The hash cache's entries; empty when it is missing, unreadable or not a JSON object of strings."""
    try:
        known = json.loads(cache_file.read_text())
    except (OSError, ValueError):
        return {}
    # Only a cache: a file some other tool or a half-copied backup left is started over, not trusted.
    if not isinstance(known, dict):
        return {}
    return {k: v for k, v in known.items() if isinstance(v, str)}


def known_hashes() -> dict[str, str]:
    """What the hash cache holds now, for asking ``known_sha256`` of many files with one read of it."""
    return _read_cache(settings.home() / "hash-cache.json")


def known_sha256(path: Path, known: dict[str, str] | None = None) -> str | None:
    """The SHA-256 of ``path`` if ``sha256_file`` has hashed it as it is now; never reads the file.

    ``known`` is ``known_hashes()`` read once for many files: read again for each, a listing of
    2000 LoRAs beside a cache of 3000 entries (every job's inputs are hashed into it) took 5 s.
    """
    return (known if known is not None else known_hashes()).get(_hash_key(path.resolve()))


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, cached by (path, size, mtime) so big checkpoints are hashed once."""
    path = path.resolve()
    # HF cache blobs are named by their SHA-256 (the LFS etag) already.
    if path.parent.name == "blobs" and len(path.name) == 64:
        return path.name
    key = _hash_key(path)
    cache_file = settings.home() / "hash-cache.json"
    known = _read_cache(cache_file)
    if key in known:
        return known[key]
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            digest.update(chunk)
    known[key] = digest.hexdigest()
    tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(known))
        os.replace(tmp, cache_file)
    except OSError:  # only a cache: a read-only data folder failed a finished render as it was recorded
        if tmp.exists():  # written, not renamed; exists() is False where a file stands for the folder
            tmp.unlink()
    return digest.hexdigest()


def weight_hashes(source: _Source) -> dict[str, str]:
    """SHA-256 of every weight file of ``source``, keyed by path relative to it."""
    if source.kind == "single_file":
        files = {source.path.name: source.path}
    else:
        files = {
            str(p.relative_to(source.path)): p
            for p in sorted(source.path.rglob("*"))
            if p.suffix.lower() in WEIGHT_SUFFIXES and p.is_file()
        }
    source.hashes = {name: sha256_file(p) for name, p in files.items()}
    return source.hashes
