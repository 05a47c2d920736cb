"""Edges of the API a client or an operator meets by mistake: half an emoji, an unset key variable,
a setting no socket takes; each is said in words, never a 500 or a misleading reason."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from reelgen.api.settings import ApiSettings, setting_problem
from tests.api.conftest import files_under

TINY = {"prompt": "a fox", "model": "wan-tiny", "size": "64x64", "num_frames": 9}
JSON = {"content-type": "application/json"}


def test_half_an_emoji_is_named_by_its_field_not_called_invalid_json(
    client: TestClient, data_dir: Path
) -> None:
    # A page's text.slice() can cut an emoji in two, and JSON.stringify sends the half as "\ud83e":
    # valid JSON, yet it was "Invalid JSON: unexpected end of hex escape at line 1 column 20", no param.
    before = files_under(data_dir)
    cases = [
        ("/v1/videos", b'{"prompt": "a fox \\ud83e", "model": "wan-tiny"}', "prompt"),
        ("/v1/videos", b'{"prompt": "a", "metadata": {"k": "\\udc00"}, "model": "wan-tiny"}', "metadata"),
        ("/v1/videos", b'{"prompt": "a", "\\udc00": 1}', None),
        ("/api/video/generate", b'{"prompt": "a fox \\ud83e", "model": "wan-tiny"}', "prompt"),
    ]
    for path, body, param in cases:
        error = client.post(path, content=body, headers=JSON).json()["error"]
        assert error["param"] == param, (path, body, error)
        assert error["message"] == f"{param or 'a field name'} holds half of a character (a lone UTF-16 " + (
            "surrogate such as \\ud83e, as left when text is cut inside an emoji); send whole characters"
        )
    whole = client.post(
        "/v1/videos", content=b'{"prompt": "a fox \\ud83e\\udd8a", "model": "wan-tiny"}', headers=JSON
    )
    assert whole.status_code == 202 and whole.json()["prompt"] == "a fox \U0001f98a"
    assert len(client.get("/v1/videos").json()["data"]) == 1 and files_under(data_dir) == before


def test_a_remix_with_half_an_emoji_names_its_prompt(client: TestClient) -> None:
    video = client.post("/v1/videos", json=TINY).json()["id"]
    resp = client.post(f"/v1/videos/{video}/remix", content=b'{"prompt": "\\udfff"}', headers=JSON)
    assert resp.status_code == 400 and resp.json()["error"]["param"] == "prompt"
    assert resp.json()["error"]["message"].startswith("prompt holds half of a character")


def test_bearer_with_no_key_after_it_is_not_called_a_bare_key(make_client: Callable[..., TestClient]) -> None:
    # `Authorization: Bearer $REELGEN_API_KEY` with the variable unset: "holds a bare key" sent a person
    # looking for a missing "Bearer " that was there.
    client = make_client(api_key="s3cret")
    for header in ("Bearer", "Bearer ", "bearer"):
        error = client.get("/v1/videos", headers={"Authorization": header}).json()["error"]
        assert error["message"].startswith(
            "the Authorization header says Bearer but holds no key (is the variable holding it unset?); "
        ), (header, error)
        assert error["code"] == "invalid_api_key"


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("inf", "REELGEN_FETCH_TIMEOUT_S='inf': Input should be a finite number (default 10.0)"),
        ("1e10", "REELGEN_FETCH_TIMEOUT_S='1e10': Input should be less than or equal to 3600 (default 10.0)"),
    ],
)
def test_a_fetch_timeout_no_socket_takes_stops_the_server_before_it_listens(
    monkeypatch: pytest.MonkeyPatch, value: str, said: str
) -> None:
    # Either started the server, then every image_url fetch was a 500 "internal error (OverflowError)".
    monkeypatch.setenv("REELGEN_FETCH_TIMEOUT_S", value)
    with pytest.raises(ValidationError) as caught:
        ApiSettings()
    assert setting_problem(caught.value, ApiSettings, {}) == said
