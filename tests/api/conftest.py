"""API fixtures: an app over a real SQLite job store, with or without Ray workers behind it."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from PIL import Image

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.jobs.settings import JobSettings
from tests.jobs.conftest import postgres_url  # noqa: F401  (a fixture of this folder's tests too)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "server"


@pytest.fixture
def make_client(data_dir: Path) -> Iterator[Callable[..., TestClient]]:
    """A client of an app whose jobs queue in SQLite but never run (no Ray workers started).

    Keyword arguments go to ApiSettings; ``jobs={...}`` to its JobSettings.
    """
    clients: list[TestClient] = []

    def make(jobs: dict[str, Any] | None = None, **fields: Any) -> TestClient:
        job_settings = JobSettings(data_dir=data_dir, **(jobs or {}))
        settings = ApiSettings(jobs=job_settings, **{"serve_web": False, **fields})
        client = TestClient(create_app(settings, start_service=False), raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


@pytest.fixture
def statements(client: TestClient) -> Iterator[list[str]]:
    """Each SQL statement the job store runs from here on."""
    engine = client.app.state.service.store.engine  # type: ignore[attr-defined]
    seen: list[str] = []

    def spy(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(" ".join(statement.split()))

    sa.event.listen(engine, "before_cursor_execute", spy)
    yield seen
    sa.event.remove(engine, "before_cursor_execute", spy)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_client(request: pytest.FixtureRequest, make_client: Callable[..., TestClient]) -> TestClient:
    """A client over SQLite, then over PostgreSQL."""
    if request.param == "sqlite":
        return make_client()
    return make_client(jobs={"database_url": request.getfixturevalue("postgres_url")})


def png(width: int = 48, height: int = 32, colour: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buf, format="PNG")
    return buf.getvalue()


def files_under(folder: Path) -> list[Path]:
    """Every file a request may have left behind (the SQLite database aside)."""
    if not folder.exists():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("jobs.db"))
