"""LoRA names as clients write them: a Windows path, ``./``, a symlink out of the folder, a folder that is a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.lora_files import write_lora

LTX = {"prompt": "waves", "model": "ltx-tiny"}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A LoRA folder with a file, one in a subfolder and a symlink to a LoRA outside it."""
    loras = tmp_path / "loras"
    (loras / "sub").mkdir(parents=True)
    (tmp_path / "secret").mkdir()
    write_lora(loras / "style.safetensors")
    write_lora(loras / "sub" / "motion.safetensors")
    (loras / "out.safetensors").symlink_to(write_lora(tmp_path / "secret" / "kept.safetensors"))
    return loras


def create(client: TestClient, name: str) -> Any:
    return client.post("/v1/videos", json={**LTX, "loras": [{"name": name, "strength": 0.5}]})


@pytest.mark.parametrize(
    ("typed", "listed"),
    [
        ("sub\\motion.safetensors", "sub/motion.safetensors"),  # as a Windows client writes a path
        ("./style.safetensors", "style.safetensors"),
        ("sub//motion.safetensors", "sub/motion.safetensors"),
    ],
)
def test_a_name_written_another_way_is_the_listed_file(
    make_client: Callable[..., TestClient], folder: Path, typed: str, listed: str
) -> None:
    # It was refused as "no LoRA 'sub\\motion.safetensors'", listing sub/motion.safetensors as valid.
    made = create(make_client(lora_dir=folder), typed)
    assert made.status_code == 202, made.text
    assert made.json()["parameters"]["loras"] == [{"name": listed, "strength": 0.5}]


def test_a_symlink_out_of_the_folder_is_refused_saying_why(
    make_client: Callable[..., TestClient], folder: Path
) -> None:
    client = make_client(lora_dir=folder)
    assert [f["name"] for f in client.get("/v1/loras").json()["data"]] == [
        "style.safetensors",
        "sub/motion.safetensors",
    ]
    refused = create(client, "out.safetensors")
    assert refused.status_code == 400, refused.text
    error = refused.json()["error"]
    # It said "no LoRA 'out.safetensors' in the server's LoRA folder", while the file lay right there.
    assert error["message"] == (
        "loras[0].name: 'out.safetensors' in the server's LoRA folder is a symbolic link to a file outside "
        "the folder, and only files inside it are taken; copy the file into the folder; "
        "valid names: style.safetensors, sub/motion.safetensors"
    )
    assert "secret" not in error["message"]  # where it leads is the server's business
    assert client.get("/v1/videos").json()["data"] == []


def test_a_lora_folder_that_is_a_file_is_said_to_be_one(
    make_client: Callable[..., TestClient], folder: Path
) -> None:
    client = make_client(lora_dir=folder / "style.safetensors")
    refused = create(client, "style.safetensors")
    assert refused.status_code == 400, refused.text
    # "holds no .safetensors files; put them in it" asked for files to go into a file.
    assert refused.json()["error"]["message"] == (
        "loras[0].name: no LoRA 'style.safetensors' in the server's LoRA folder; the server's LoRA folder "
        "(REELGEN_LORA_DIR) is a file, not a folder, so it offers no LoRAs; point REELGEN_LORA_DIR at a "
        "folder of .safetensors files"
    )


def test_a_lora_past_what_the_listing_walks_can_still_be_named(
    make_client: Callable[..., TestClient], folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reelgen.api import loras

    monkeypatch.setattr(loras, "MAX_LISTED", 1)  # a folder of thousands, made small
    client = make_client(lora_dir=folder)
    assert [f["name"] for f in client.get("/v1/loras").json()["data"]] == ["style.safetensors"]
    # It was "no LoRA 'sub/motion.safetensors' in the server's LoRA folder" while it lay there.
    made = create(client, "sub/motion.safetensors")
    assert made.status_code == 202, made.text
    assert made.json()["parameters"]["loras"] == [{"name": "sub/motion.safetensors", "strength": 0.5}]
    assert create(client, "out.safetensors").status_code == 400  # past the listing, still held to its rules


def test_an_accented_name_is_found_however_its_accent_is_encoded(
    make_client: Callable[..., TestClient], folder: Path
) -> None:
    import unicodedata

    copied = unicodedata.normalize("NFD", "été.safetensors")  # as a Mac writes the name: e + accent
    write_lora(folder / copied)
    typed = unicodedata.normalize("NFC", "été.safetensors")  # as a person types it
    # It was "no LoRA 'été.safetensors' in the server's LoRA folder; valid names: été.safetensors, ...".
    made = create(make_client(lora_dir=folder), typed)
    assert made.status_code == 202, made.text
    assert made.json()["parameters"]["loras"] == [{"name": copied, "strength": 0.5}]


def test_a_symlink_loop_in_the_folder_breaks_neither_the_listing_nor_other_loras(
    make_client: Callable[..., TestClient], folder: Path
) -> None:
    (folder / "loop.safetensors").symlink_to(folder / "loop.safetensors")
    client = make_client(lora_dir=folder)
    # Both were a 500 "internal error (RuntimeError)": pathlib raises for a loop.
    listing = client.get("/v1/loras")
    assert listing.status_code == 200, listing.text
    assert [f["name"] for f in listing.json()["data"]] == ["style.safetensors", "sub/motion.safetensors"]
    assert create(client, "style.safetensors").status_code == 202
    refused = create(client, "loop.safetensors")
    assert refused.status_code == 400, refused.text
    assert refused.json()["error"]["message"].startswith("loras[0].name: no LoRA 'loop.safetensors' in the")


@pytest.mark.parametrize("suffix", [".safetensors", ".bin"])
def test_a_name_too_long_for_any_folder_is_a_400_not_a_500(
    make_client: Callable[..., TestClient], folder: Path, suffix: str
) -> None:
    name = "a" * 300 + suffix
    refused = create(make_client(lora_dir=folder), name)
    # It was a 500 "internal error (OSError)": asking the disk about it raised "File name too long".
    assert refused.status_code == 400, refused.text
    assert refused.json()["error"]["message"].startswith(f"loras[0].name: no LoRA {name!r} in the server's")
