"""GET /v1/loras names the folder it reads, so a client can say where to put LoRA files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient


def test_the_listing_names_the_folder_under_reelgen_home(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REELGEN_LORA_DIR", raising=False)
    monkeypatch.setenv("REELGEN_HOME", str(tmp_path / "home"))
    listing = make_client().get("/v1/loras").json()
    # The folder need not exist yet: it is where the files go.
    assert listing == {"object": "list", "data": [], "folder": str((tmp_path / "home" / "loras").resolve())}


def test_the_listing_names_reelgen_lora_dir_absolute(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REELGEN_LORA_DIR", "my-loras")
    (tmp_path / "my-loras").mkdir()
    (tmp_path / "my-loras" / "style.safetensors").write_bytes(b"x")
    listing = make_client().get("/v1/loras").json()
    assert listing["folder"] == str(tmp_path.resolve() / "my-loras")
    assert [f["name"] for f in listing["data"]] == ["style.safetensors"]
