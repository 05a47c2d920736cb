"""GET /v1/loras reads the hash cache once for the whole listing, not once a file.

Read again for each file, a folder of 2000 LoRAs beside a cache of 3000 entries (every job's
inputs are hashed into it) took 5 s to list; the hashes it gives are the same.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from reelgen.core import weight_hashes
from reelgen.core.weights import sha256_file
from tests.lora_files import write_lora


def test_the_listing_reads_the_hash_cache_once_and_gives_the_known_hashes(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "loras"
    folder.mkdir()
    files = [write_lora(folder / f"style-{i}.safetensors", rank=i + 1) for i in range(5)]
    hashed = sha256_file(files[2])  # as a worker applying it leaves it
    reads: list[Path] = []
    read_cache = weight_hashes._read_cache

    def counted(cache_file: Path) -> dict[str, str]:
        reads.append(cache_file)
        return read_cache(cache_file)

    monkeypatch.setattr(weight_hashes, "_read_cache", counted)
    listing = make_client(lora_dir=folder).get("/v1/loras")
    assert listing.status_code == 200, listing.text
    by_name = {entry["name"]: entry["sha256"] for entry in listing.json()["data"]}
    assert by_name == {f.name: (hashed if f == files[2] else None) for f in files}
    assert len(reads) == 1
