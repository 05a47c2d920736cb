"""tests/api/openapi_once.py's shared schema is the one each default app serves, and a copy a test may change."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.openapi_once import openapi_of


def test_the_shared_schema_is_what_this_apps_own_route_serves(client: TestClient) -> None:
    # The shared schema may come from an app of another test (its own data folder and REELGEN_HOME): it must
    # be the very document this app builds itself, or the tests that read it would read another server's.
    shared = openapi_of(client)
    assert shared == client.get("/openapi.json").json()
    shared["paths"].clear()
    assert openapi_of(client)["paths"], "a test's change reached the next test's copy"
