"""An unreadable LoRA is refused under the field the request named it by, loras[i].name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient


def test_an_unreadable_lora_names_the_field_the_body_gave(
    make_client: Callable[..., TestClient], tmp_path: Path
) -> None:
    # The core names a LoRA's file loras[0].path, a field a create body never has (it is refused
    # there as a server path): a client branching on param found no field of its own.
    loras = tmp_path / "loras"
    loras.mkdir()
    (loras / "broken.safetensors").write_bytes(b"not safetensors")
    client = make_client(lora_dir=loras)
    body = {
        "prompt": "a fox",
        "model": "wan-tiny",
        "num_frames": 9,
        "loras": [{"name": "broken.safetensors"}],
    }
    resp = client.post("/v1/videos", json=body)
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "loras[0].name"
    assert error["message"].startswith(
        "loras[0].name: broken.safetensors is not a readable .safetensors file"
    )
    assert client.get("/v1/videos").json()["data"] == []
