"""GET /v1/loras and a create body agree: on .sft files, and on files a create refuses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from tests.lora_files import write_lora

LTX = {"prompt": "waves", "model": "ltx-tiny"}
LFS_POINTER = "version https://git-lfs.github.com/spec/v1\noid sha256:" + "a" * 64 + "\nsize 1264\n"


def test_a_file_a_create_refuses_is_listed_unusable_with_the_words_create_says(
    make_client: Callable[..., TestClient], tmp_path: Path
) -> None:
    # Both were listed as any other file, and a create naming them was refused.
    folder = tmp_path / "loras"
    folder.mkdir()
    whole = write_lora(folder / "style.safetensors").read_bytes()
    (folder / "cut.safetensors").write_bytes(whole[:-10])
    (folder / "pointer.safetensors").write_text(LFS_POINTER)
    client = make_client(lora_dir=folder)
    listing = {f["name"]: f for f in client.get("/v1/loras").json()["data"]}
    assert list(listing) == ["cut.safetensors", "pointer.safetensors", "style.safetensors"]
    assert (listing["style.safetensors"]["usable"], listing["style.safetensors"]["problem"]) == (True, None)
    for name in ("cut.safetensors", "pointer.safetensors"):
        refused = client.post("/v1/videos", json={**LTX, "loras": [{"name": name}]})
        assert refused.status_code == 400, refused.text
        assert listing[name]["usable"] is False
        assert refused.json()["error"]["message"] == f"loras[0].name: {listing[name]['problem']}"
    assert listing["cut.safetensors"]["problem"].startswith("cut.safetensors is cut short")
    assert listing["pointer.safetensors"]["problem"].startswith("pointer.safetensors is a Git LFS pointer")
    assert client.get("/v1/videos").json()["data"] == []


def test_an_sft_lora_the_cli_takes_is_listed_and_taken_by_the_server(
    make_client: Callable[..., TestClient], tmp_path: Path
) -> None:
    # It was missing from the listing and refused as "not a .safetensors file".
    folder = tmp_path / "loras"
    folder.mkdir()
    write_lora(folder / "style.sft")
    client = make_client(lora_dir=folder)
    assert [(f["name"], f["usable"]) for f in client.get("/v1/loras").json()["data"]] == [("style.sft", True)]
    made = client.post("/v1/videos", json={**LTX, "loras": [{"name": "style.sft", "strength": 0.5}]})
    assert made.status_code == 202, made.text
    assert made.json()["parameters"]["loras"] == [{"name": "style.sft", "strength": 0.5}]
