"""The first server's creating routes document every status they answer, the 507 of a full disk too."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient


@pytest.mark.parametrize("path", ["/api/video/generate", "/api/video/animate", "/generate-video"])
def test_a_legacy_create_documents_the_507_it_answers(client: TestClient, path: str) -> None:
    responses = client.get("/openapi.json").json()["paths"][path]["post"]["responses"]
    assert "disk is full" in responses["507"]["description"]  # it was not listed


def test_a_legacy_create_on_a_full_database_is_a_507(client: TestClient) -> None:
    engine = client.app.state.service.store.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()

    @sa.event.listens_for(engine, "connect")
    def _cap(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")  # SQLite's SQLITE_FULL, as a full disk

    engine.dispose()
    body = {"model": "wan-tiny", "width": 64, "height": 64}
    answers = [client.post("/api/video/generate", json={**body, "prompt": f"fox {i}"}) for i in range(30)]
    assert [a.status_code for a in answers if a.status_code != 202][:1] == [507]
