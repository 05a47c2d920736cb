"""A create when the server's job database has no room left is a 507 in one line, not a 500."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient


def fill_the_database(client: TestClient) -> None:
    """The app's SQLite job database capped at the pages it holds now: the next writes meet SQLITE_FULL,
    as on a full disk."""
    engine = client.app.state.service.store.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()

    @sa.event.listens_for(engine, "connect")
    def _cap(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    engine.dispose()


def test_a_create_on_a_full_disk_is_a_507_that_says_so_and_queues_nothing(client: TestClient) -> None:
    fill_the_database(client)
    answers = [
        client.post("/v1/videos", json={"prompt": f"a fox {i}", "model": "wan-tiny", "size": "64x64"})
        for i in range(30)
    ]
    refused = [a for a in answers if a.status_code != 202]
    assert refused, "the database never filled up"
    error = refused[0].json()["error"]
    assert refused[0].status_code == 507, refused[0].text
    assert error["message"] == "the server has no disk space left to store this; nothing was kept"
    assert error["type"] == "server_error" and error["code"] == "write_failed"
    listed = client.get("/v1/videos?limit=100").json()["data"]
    assert len(listed) == sum(a.status_code == 202 for a in answers)
