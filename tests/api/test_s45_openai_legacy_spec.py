"""The first server's creating routes document every status they answer, the 507 of a full disk too."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.openapi_once import openapi_of
from tests.api.test_h3_full_database import fill_the_database


@pytest.mark.parametrize("path", ["/api/video/generate", "/api/video/animate", "/generate-video"])
def test_a_legacy_create_documents_the_507_it_answers(client: TestClient, path: str) -> None:
    responses = openapi_of(client)["paths"][path]["post"]["responses"]
    assert "disk is full" in responses["507"]["description"]  # it was not listed


def test_a_legacy_create_on_a_full_database_is_a_507(client: TestClient) -> None:
    fill_the_database(client)
    body = {"model": "wan-tiny", "width": 64, "height": 64}
    answers = [client.post("/api/video/generate", json={**body, "prompt": f"fox {i}"}) for i in range(30)]
    assert [a.status_code for a in answers if a.status_code != 202][:1] == [507]
