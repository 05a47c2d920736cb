"""A server whose disk fills while it stores a project answers 507 and keeps nothing of it."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.test_projects_api import upload
from tests.jobs.projects import make_film


@pytest.fixture
def film(tmp_path: Path) -> Path:
    return make_film(tmp_path / "film")


def _disk_full(path: Path) -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))


def _left(data_dir: Path) -> list[str]:
    root = data_dir / "projects"
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def test_a_full_disk_storing_an_upload_is_507_and_leaves_no_project(
    client: TestClient, film: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Path.write_bytes

    def full(self: Path, data: Any) -> int:
        if ".staging-" in str(self):
            raise _disk_full(self)
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    resp = upload(client, film)
    assert resp.status_code == 507, resp.text
    error = resp.json()["error"]
    assert error["code"] == "write_failed" and "no disk space" in error["message"]
    assert str(data_dir) not in error["message"]  # the server's folders are not the client's business
    assert _left(data_dir) == [] and client.get("/v1/projects").json()["data"] == []


def test_a_full_disk_writing_the_projects_record_leaves_no_project_without_one(
    client: TestClient, film: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reelgen.api.project_files as project_files

    real = project_files.write_json_atomic

    def full(path: Path, data: dict[str, Any]) -> Path:
        raise project_files.write_failed(_disk_full(path), path)

    monkeypatch.setattr(project_files, "write_json_atomic", full)
    resp = upload(client, film)
    assert resp.status_code == 507, resp.text
    assert _left(data_dir) == []  # neither a proj_ folder without its record nor the staging folder
    assert client.get("/v1/projects").json()["data"] == []
    monkeypatch.setattr(project_files, "write_json_atomic", real)
    assert upload(client, film).status_code == 201  # and the next try, with room, is whole
    assert [p.startswith("proj_") for p in _left(data_dir)] == [True]
