"""A create naming a folder of the LoRA folder (a training run's output) is told the files in it, as
``reelgen generate --lora DIR`` is: it was "no LoRA 'run1' in the server's LoRA folder"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from tests.lora_files import write_lora


def test_a_folder_named_is_told_its_files(make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    loras = tmp_path / "loras"
    (loras / "run1").mkdir(parents=True)
    write_lora(loras / "style.safetensors")
    write_lora(loras / "run1" / "step100.safetensors")
    write_lora(loras / "run1" / "step200.safetensors")
    client = make_client(lora_dir=loras)
    for named in ("run1", "run1/", "./run1"):
        refused = client.post(
            "/v1/videos",
            json={"prompt": "waves", "model": "ltx-tiny", "loras": [{"name": named, "strength": 0.5}]},
        )
        assert refused.status_code == 400, refused.text
        error = refused.json()["error"]
        assert error["param"] == "loras[0].name"
        assert error["message"] == (
            "loras[0].name: 'run1' is a folder in the server's LoRA folder; name a .safetensors file in it: "
            "run1/step100.safetensors, run1/step200.safetensors"
        )
    assert client.get("/v1/videos").json()["data"] == []
