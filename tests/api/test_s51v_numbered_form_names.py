"""A form list field with no name inside its brackets, or an entry number with a leading zero, is refused
by name with the shapes taken."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.test_inputs_api import error
from tests.api.test_s51h_lora_form import SHAPES, post

KEYFRAMES = (
    "give keyframes[0][frame]=0 with keyframes[0][strength]=1.0 (then keyframes[1][...]) and one "
    'keyframe_images file per entry, or the one field keyframes=[{"frame": 0, "strength": 1.0}]'
)


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        # It was "loras[0]. is not a known field".
        ([("loras[0][]", "style.safetensors")], f"loras: loras[0][] names no field; {SHAPES}"),
        ([("loras[0][][name]", "style.safetensors")], f"loras: loras[0][][name] names no field; {SHAPES}"),
        ([("keyframes[0][]", "0")], f"keyframes: keyframes[0][] names no field; {KEYFRAMES}"),
        # It was "loras[0].name is required".
        ([("loras[][]", "style.safetensors")], f"loras: loras[][] names no field; {SHAPES}"),
        # loras[00] and loras[0] were one entry: this was a LoRA of strength 0.5.
        (
            [("loras[0][name]", "style.safetensors"), ("loras[00][strength]", "0.5")],
            f"loras: loras[00] is numbered with a leading zero; {SHAPES}",
        ),
        (
            [("loras[01][name]", "style.safetensors")],
            f"loras: loras[01] is numbered with a leading zero; {SHAPES}",
        ),
    ],
)
def test_a_bracket_that_names_nothing_is_refused_by_name(
    client: TestClient, fields: list[tuple[str, str]], said: str
) -> None:
    err = error(post(client, fields))
    assert err["param"] in ("loras", "keyframes") and err["message"] == said, err
    assert client.get("/v1/videos").json()["data"] == []
