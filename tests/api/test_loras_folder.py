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


@pytest.mark.parametrize("name", ["style.bin", "sub/style.ckpt"])
def test_a_lora_file_of_another_format_in_the_folder_is_refused_at_submit_saying_so(
    make_client: Callable[..., TestClient], tmp_path: Path, name: str
) -> None:
    """It read 'no LoRA 'style.bin' in the server's LoRA folder' while the file lay right there."""
    from tests.lora_files import write_lora

    folder = tmp_path / "loras"
    (folder / "sub").mkdir(parents=True)
    write_lora(folder / "good.safetensors")
    (folder / name).write_bytes(b"\x80\x02}q\x00.")  # a pickle, as torch.save writes one
    client = make_client(lora_dir=folder)
    body = {"prompt": "waves", "model": "ltx-tiny", "loras": [{"name": name}]}
    refused = client.post("/v1/videos", json=body)
    assert refused.status_code == 400, refused.text
    error = refused.json()["error"]
    assert error["param"] == "loras[0].name"
    assert error["message"] == (
        f"loras[0].name: {name!r} in the server's LoRA folder is not a .safetensors file; LoRAs are taken as "
        ".safetensors files only (a .bin, .pt or .ckpt LoRA must be converted first); valid names: good.safetensors"
    )
    assert client.get("/v1/videos").json()["data"] == []


def test_a_text_file_named_safetensors_in_the_folder_is_refused_at_submit(
    make_client: Callable[..., TestClient], tmp_path: Path
) -> None:
    """Refused when the job is asked for, not after a worker loaded the model it was going into."""
    folder = tmp_path / "loras"
    folder.mkdir()
    (folder / "renamed.safetensors").write_text("these are notes, not weights\n")
    client = make_client(lora_dir=folder)
    body = {"prompt": "waves", "model": "ltx-tiny", "loras": [{"name": "renamed.safetensors"}]}
    refused = client.post("/v1/videos", json=body)
    assert refused.status_code == 400, refused.text
    assert "renamed.safetensors is not a readable .safetensors file" in refused.json()["error"]["message"]
    assert client.get("/v1/videos").json()["data"] == []
