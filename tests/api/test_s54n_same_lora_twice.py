"""One LoRA named twice in a create body is refused by its place (``loras[1]``), as the CLI refuses it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from reelgen.core.errors import from_validation_error
from reelgen.core.spec.request import GenerationRequest
from tests.lora_files import write_lora

TWICE = "is given twice; give each LoRA once, with the one strength you want"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    loras = tmp_path / "loras"
    loras.mkdir()
    write_lora(loras / "a.safetensors")
    write_lora(loras / "b.safetensors")
    return loras


@pytest.mark.parametrize("second", ["a.safetensors", "./a.safetensors"])
def test_the_same_lora_twice_is_a_400_naming_the_second(
    make_client: Callable[..., TestClient], folder: Path, second: str
) -> None:
    # Both were loaded and stacked: the style twice as strong as asked, without a word.
    client = make_client(lora_dir=folder)
    body = {"prompt": "x", "model": "ltx-tiny", "loras": [{"name": "a.safetensors"}, {"name": second}]}
    refused = client.post("/v1/videos", json=body)
    assert refused.status_code == 400, refused.text
    error = refused.json()["error"]
    assert error["param"] == "loras[1]", error
    assert error["message"] == f"loras[1]: a.safetensors {TWICE}", error
    assert str(folder) not in error["message"]  # the server's folder is its own business
    assert client.get("/v1/videos").json()["data"] == []


def test_two_different_loras_are_taken(make_client: Callable[..., TestClient], folder: Path) -> None:
    client = make_client(lora_dir=folder)
    body = {
        "prompt": "x",
        "model": "ltx-tiny",
        "loras": [{"name": "a.safetensors"}, {"name": "b.safetensors"}],
    }
    assert client.post("/v1/videos", json=body).status_code == 202


def test_a_request_file_naming_one_lora_twice_is_refused_there_too(tmp_path: Path) -> None:
    # Batch manifests and projects make their items into the same request model.
    lora = str(tmp_path / "l.safetensors")
    loras = [{"path": lora}, {"path": str(tmp_path / "sub" / ".." / "l.safetensors"), "strength": 0.5}]
    with pytest.raises(ValueError) as caught:
        GenerationRequest.model_validate({"prompt": "x", "model": "ltx-tiny", "loras": loras})
    error = from_validation_error(caught.value, prefix="items[0].")
    assert (error.param, error.message) == ("items[0].loras[1]", f"items[0].loras[1]: l.safetensors {TWICE}")


def test_one_lora_file_by_two_weight_names_is_not_twice(tmp_path: Path) -> None:
    loras = [
        {"path": str(tmp_path), "weight_name": "a.safetensors"},
        {"path": str(tmp_path), "weight_name": "b.safetensors"},
    ]
    assert (
        len(GenerationRequest.model_validate({"prompt": "x", "model": "ltx-tiny", "loras": loras}).loras) == 2
    )
