"""``REELGEN_MAX_PROMPT_CHARS`` takes no more than every request's own prompt cap."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from reelgen.api.settings import ApiSettings, setting_problem
from reelgen.core.spec.request import MAX_PROMPT_CHARS


def test_a_prompt_cap_past_the_requests_own_is_refused_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    # 50000 started the server and /docs said prompts take 50000 characters; one of 30000 was then
    # refused with "at most 20,000 are taken", the setting silently not taken.
    monkeypatch.setenv("REELGEN_MAX_PROMPT_CHARS", "50000")
    with pytest.raises(ValidationError) as caught:
        ApiSettings()
    assert setting_problem(caught.value, ApiSettings, {}) == (
        f"REELGEN_MAX_PROMPT_CHARS='50000': too large; it takes a whole number from 1 to {MAX_PROMPT_CHARS} "
        "(default 4000)"
    )


def test_the_highest_prompt_cap_taken_is_honoured(make_client: Callable[..., TestClient]) -> None:
    client = make_client(max_prompt_chars=MAX_PROMPT_CHARS)
    documented = client.get("/openapi.json").json()["components"]["schemas"]
    assert any(
        schema.get("properties", {}).get("prompt", {}).get("maxLength") == MAX_PROMPT_CHARS
        for schema in documented.values()
    )
    answer = client.post("/v1/videos", json={"prompt": "a" * MAX_PROMPT_CHARS})
    assert answer.status_code == 202, answer.text
