"""``/v1/videos/{id}`` of a project's job carries its URL as ``error.job_url``; ``reelgen cancel`` goes
there by that field, whatever the message says."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from reelgen.api import video_page
from reelgen.api.errors import ApiError
from reelgen.jobs.records import Facts
from reelgen.jobs.store import ChildRow
from tests.cli.test_s51g_cancel_project_job import _render_job, _run, app  # noqa: F401 (a fixture)


def test_the_404_of_a_project_job_carries_its_url(app: TestClient, tmp_path: Path) -> None:  # noqa: F811
    project, job = _render_job(app, tmp_path)
    error = app.get(f"/v1/videos/{job}").json()["error"]
    assert error["job_url"] == f"/v1/projects/{project}/jobs/{job}"
    assert (error["param"], error["code"]) == ("video_id", "not_found")
    store = app.app.state.service.store  # type: ignore[attr-defined]
    (scene,) = store.create_children(
        store.get(job), [ChildRow("scene-abc", "scene", {}, Facts(model="reelgen-micro", prompt="p"))]
    )
    # A scene job is not found at its project job's URL: its 404 names that URL in words only.
    assert "job_url" not in app.get(f"/v1/videos/{scene.id}").json()["error"]


def test_cancel_follows_the_field_not_the_words(
    app: TestClient,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project, job = _render_job(app, tmp_path)

    class Reworded(ApiError):
        """The message without its "(GET URL)": the cancel read the URL out of these words."""

        def __init__(self, status: int, message: str, **fields: Any) -> None:
            super().__init__(status, re.sub(r" \(GET [^)]*\)", "", message), **fields)

    monkeypatch.setattr(video_page, "ApiError", Reworded)
    url = f"/v1/projects/{project}/jobs/{job}"
    assert "/v1/projects/" not in app.get(f"/v1/videos/{job}").json()["error"]["message"]
    out = _run("cancel", job)
    assert out.exit_code == 0, out.output
    assert out.stdout.split()[:2] == [job, "cancelled"]
    assert app.get(url).json()["status"] == "cancelled"
