"""A create's LoRAs sent as multipart fields indexed the way form libraries write a list of objects
(``loras[0][name]``), or in a shape no list reads, answered with the shapes that are taken."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from reelgen.core.spec.request import LoraSpec
from tests.api.test_inputs_api import LTX, error, lora_dir, stored  # noqa: F401  (lora_dir: a fixture)

SHAPES = (
    "give loras[0][name]=style.safetensors with loras[0][strength]=0.8 (then loras[1][...]), "
    'or the one field loras=[{"name": "style.safetensors", "strength": 0.8}]'
)


def post(client: TestClient, fields: list[tuple[str, str]]) -> Any:
    """A multipart create, as curl -F or a form library sends one: each field a part of its own."""
    parts = [(name, (None, text)) for name, text in [*LTX.items(), *fields]]
    return client.post("/v1/videos", files=parts)


def test_loras_indexed_by_number_reach_the_job_in_their_order(
    make_client: Callable[..., TestClient],
    lora_dir: Path,  # noqa: F811
) -> None:
    # It was a 400 "loras: Input should be a valid list" for the shape qs, axios and PHP write.
    client = make_client(lora_dir=lora_dir)
    fields = [
        ("loras[1][name]", "sub/motion.safetensors"),
        ("loras[0][name]", "style.safetensors"),
        ("loras[0][strength]", "0.8"),
    ]
    resp = post(client, fields)
    assert resp.status_code == 202, resp.text
    assert stored(client, resp.json()["id"]).loras == (
        LoraSpec(path=str(lora_dir.resolve() / "style.safetensors"), strength=0.8),
        LoraSpec(path=str(lora_dir.resolve() / "sub" / "motion.safetensors"), strength=1.0),
    )


def test_an_indexed_lora_with_a_bad_value_names_its_entry(
    make_client: Callable[..., TestClient],
    lora_dir: Path,  # noqa: F811
) -> None:
    client = make_client(lora_dir=lora_dir)
    err = error(post(client, [("loras[0][name]", "style.safetensors"), ("loras[0][strength]", "9")]))
    assert err["param"] == "loras[0].strength", err


def test_loras_in_a_shape_no_list_reads_are_shown_the_shapes_taken(client: TestClient) -> None:
    for fields, why in (
        ([("loras[name]", "style.safetensors")], "loras[name] names no entry"),
        ([("loras[1][name]", "style.safetensors")], "loras[1] comes without loras[0]"),
        ([("loras[0]", "style.safetensors")], "loras[0] is style.safetensors, not an entry's fields"),
        (
            [("loras[0][name]", "a.safetensors"), ("loras[0][name]", "b.safetensors")],
            "loras[0][name] is given twice",
        ),
    ):
        err = error(post(client, fields))
        assert err["param"] == "loras", err
        assert err["message"] == f"loras: {why}; {SHAPES}", err
    assert client.get("/v1/videos").json()["data"] == []


def test_loras_sent_both_numbered_and_as_json_text_are_refused(client: TestClient) -> None:
    for fields in (
        [("loras", '[{"name": "a.safetensors"}]'), ("loras[0][name]", "b.safetensors")],
        [("loras[0][name]", "b.safetensors"), ("loras", '[{"name": "a.safetensors"}]')],
    ):
        err = error(post(client, fields))
        assert err["param"] == "loras", err
        assert err["message"].startswith("loras is given twice"), err
