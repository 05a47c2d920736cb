"""The API says a bad value as the CLI does: its field, the value, what is valid; no pydantic words."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize(
    ("body", "param", "said"),
    [
        # Was "metadata.a: Input should be a valid string".
        ({"metadata": {"a": 1}}, "metadata.a", "metadata.a: 1 is not text; give text in quotes"),
        # Was "fps: Input should be a finite number; ...".
        (
            {"fps": float("inf")},
            "fps",
            "fps: inf is not a finite number; it takes a number above 0 and at most 240",
        ),
        # Was "keyframes: Input should be a valid array; give a JSON list ...".
        (
            {"keyframes": "a.png"},
            "keyframes",
            'keyframes: \'a.png\' is not a list; give a JSON list of objects, e.g. [{"frame": 0, "strength": 1.0}]',
        ),
        # Was "width: 99999 is too large; ..." for a field the body never had.
        (
            {"size": "99999x480"},
            "size",
            "size: '99999x480' is too large (width 99999); give WIDTHxHEIGHT with each side from 1 to 16384, "
            "e.g. 832x480 (the largest size taken is 16384x16384)",
        ),
        # Was "prompt has 4001 characters; the limit is 4000", where a field's own limit said this.
        (
            {"prompt": "x" * 4001},
            "prompt",
            "prompt: it has 4,001 characters, and at most 4,000 are taken; shorten it",
        ),
    ],
)
def test_a_create_with_a_wrong_value_hears_its_field_value_and_what_is_valid(
    client: TestClient, body: dict[str, Any], param: str, said: str
) -> None:
    sent = json.dumps({"prompt": "a fox", "model": "wan-tiny", **body})  # Infinity, as JS clients write it
    resp = client.post("/v1/videos", content=sent, headers={"Content-Type": "application/json"})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert (error["param"], error["message"]) == (param, said)


def test_a_query_choice_names_the_value_and_the_choices(client: TestClient) -> None:
    made = client.post("/v1/videos", json={"prompt": "a fox", "model": "wan-tiny", "num_frames": 9})
    assert made.status_code == 202, made.text
    resp = client.get(f"/v1/videos/{made.json()['id']}/content", params={"variant": "zzz"})
    error = resp.json()["error"]
    # Was "variant: Input should be 'video', 'thumbnail' or 'spritesheet'".
    assert (resp.status_code, error["param"]) == (400, "variant"), resp.text
    assert error["message"] == "variant: 'zzz' is not a choice; give one of video, thumbnail or spritesheet"
