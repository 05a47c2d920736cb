"""OpenAI's ``character_ids`` on a create is said to be OpenAI's, not "not a known field"."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

SAID = (
    "character_ids: reelgen does not offer OpenAI's characters; leave it out and give a start image as "
    "input_reference, or make a talking head with POST /v1/avatars"
)


def test_character_ids_in_json_is_named_as_openais(make_client: Callable[..., TestClient]) -> None:
    # It was "character_ids is not a known field; valid fields: audio, end_reference, fps, ..." (30 names).
    client = make_client()
    body = {"prompt": "a fox", "model": "reelgen-micro", "character_ids": ["char_123"]}
    resp = client.post("/v1/videos", json=body)
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert (error["message"], error["param"]) == (SAID, "character_ids")


def test_character_ids_in_a_form_is_named_as_openais(make_client: Callable[..., TestClient]) -> None:
    client = make_client()
    parts = [("prompt", "a fox"), ("model", "reelgen-micro"), ("character_ids", "char_123")]
    body = "".join(f'--XX\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in parts)
    resp = client.post(
        "/v1/videos",
        content=(body + "--XX--\r\n").encode(),
        headers={"Content-Type": "multipart/form-data; boundary=XX"},
    )
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["message"] == SAID
