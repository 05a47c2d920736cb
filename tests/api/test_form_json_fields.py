"""A create's object and list fields (keyframes, loras, webhook ...) sent as broken JSON text, or not as a
list, are told the shape they take, with an example."""

from __future__ import annotations

from fastapi.testclient import TestClient

KEYFRAMES = 'a JSON list of objects, e.g. [{"frame": 0, "strength": 1.0}]'
WEBHOOK = 'a JSON object, e.g. {"url": "https://example.com/hook"}'


def error_of(client: TestClient, **fields: str) -> dict[str, str]:
    # A multipart form, as curl -F sends it: each field a part of its own.
    parts = {name: (None, text) for name, text in {"prompt": "a fox", **fields}.items()}
    resp = client.post("/v1/videos", files=parts)
    assert resp.status_code == 400, resp.text
    error: dict[str, str] = resp.json()["error"]
    return error


def test_broken_json_text_names_the_shape_its_field_takes(client: TestClient) -> None:
    # Both read "must be JSON (an object, or a list of them)": an object is no keyframes, a list no webhook.
    error = error_of(client, keyframes='[{"frame": 0')
    assert error["param"] == "keyframes"
    assert error["message"] == (
        f"keyframes is not valid JSON (Expecting ',' delimiter at character 12); give {KEYFRAMES}"
    )
    error = error_of(client, webhook='{"url":')
    assert error["message"] == f"webhook is not valid JSON (Expecting value at character 7); give {WEBHOOK}"


def test_a_list_field_given_no_list_shows_one(client: TestClient) -> None:
    # It read "keyframes: Input should be a valid list", which named no entry's fields.
    error = error_of(client, keyframes='{"frame": 0}')
    assert error["param"] == "keyframes"
    assert error["message"] == f"keyframes: an object is not a list; give {KEYFRAMES}"
    error = error_of(client, loras="style.safetensors")
    assert error["message"].endswith(
        'give a JSON list of objects, e.g. [{"name": "style.safetensors", "strength": 0.8}]'
    )
    resp = client.post("/v1/videos", json={"prompt": "a fox", "keyframes": "x"})
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["message"] == f"keyframes: 'x' is not a list; give {KEYFRAMES}"
