"""``GET /v1/system`` lists the longest text an avatar speaks, and the avatar routes refuse by that number."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from reelgen.api import avatars
from reelgen.core.speech import tts


def _limit(client: TestClient) -> int:
    limits = client.get("/v1/system").json()["detail"]["limits"]
    # A client (the page's avatar form, a script) could not learn it before sending 5,001 characters.
    assert "max_avatar_text_chars" in limits, limits
    value = limits["max_avatar_text_chars"]
    assert isinstance(value, int) and value > 0
    return value


def test_the_limit_is_listed_beside_the_others(client: TestClient) -> None:
    limits = client.get("/v1/system").json()["detail"]["limits"]
    assert {"max_image_pixels", "max_prompt_chars", "max_avatar_text_chars"} <= set(limits)
    assert limits["max_avatar_text_chars"] == tts.MAX_TEXT_CHARS


@pytest.mark.parametrize("url", ["/v1/avatars", "/generate-avatar"])
def test_the_refusal_names_the_listed_number(client: TestClient, url: str) -> None:
    limit = _limit(client)
    resp = client.post(url, json={"text": "a" * (limit + 1)})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "text"
    assert (
        error["message"]
        == f"text: it has {limit + 1:,} characters, and at most {limit:,} are taken; shorten it"
    )


def test_one_number_decides_both(client: TestClient) -> None:
    # The route's Field held its own 5000 beside the speech's: changing one left the other saying 5,000.
    schema = avatars.AvatarCreate.model_json_schema()
    assert schema["properties"]["text"]["anyOf"][0]["maxLength"] == tts.MAX_TEXT_CHARS
    assert _limit(client) == avatars.AvatarCreate.model_fields["text"].metadata[0].max_length
