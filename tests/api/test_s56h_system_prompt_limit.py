"""The prompt's limit (REELGEN_MAX_PROMPT_CHARS) was said only in /openapi.json, so the page could not count
against it; GET /v1/system now reports it beside the image limit, and its OpenAPI description says so."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.api.openapi_once import openapi_of


def test_the_system_route_reports_this_servers_prompt_limit(make_client: Callable[..., TestClient]) -> None:
    client = make_client(max_prompt_chars=1234)
    limits = client.get("/v1/system").json()["detail"]["limits"]
    assert limits["max_prompt_chars"] == 1234
    refused = client.post("/v1/videos", json={"prompt": "x" * 1235})  # the limit said is the one kept
    assert refused.status_code == 400 and refused.json()["error"]["param"] == "prompt"
    assert client.post("/v1/videos", json={"prompt": "x" * 1234}).status_code == 202
    # The route's description is fixed words, the same whatever the limit: read from a default app's schema,
    # built once for the tests that read it (tests/api/openapi_once.py), not again for this app of 1234.
    said = openapi_of(make_client())["paths"]["/v1/system"]["get"]["description"]
    assert "`detail.limits.max_prompt_chars`" in said and "REELGEN_MAX_PROMPT_CHARS" in said
