"""OpenAI's video calls reelgen lacks answer as such whatever the method, not as a video named "edits"."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize("path", ["/v1/videos/edits", "/v1/videos/extensions", "/v1/videos/characters"])
@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE"])
def test_any_method_on_an_unoffered_call_says_reelgen_lacks_it(
    client: TestClient, path: str, method: str
) -> None:
    # GET was "no video 'edits': video ids are ...", PUT "not allowed; use GET or POST or DELETE".
    resp = client.request(method, path)
    assert resp.status_code == 404, resp.text
    error = resp.json()["error"]
    assert error["code"] == "unsupported_endpoint"
    assert error["message"].startswith("reelgen does not offer OpenAI's ")


def test_a_character_by_id_is_unoffered_to_delete_too(client: TestClient) -> None:
    resp = client.delete("/v1/videos/characters/char_123")
    assert resp.status_code == 404, resp.text  # was 405 "use GET"
    assert resp.json()["error"]["code"] == "unsupported_endpoint"
