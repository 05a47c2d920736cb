"""Serving the page changes no answer of the API: a path that is not one of the page's files gets the API's own."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.jobs.settings import JobSettings


def _client(data_dir: Path, *, page: bool) -> TestClient:
    settings = ApiSettings(jobs=JobSettings(data_dir=data_dir), serve_web=page)
    return TestClient(create_app(settings, start_service=False), raise_server_exceptions=False)


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/v1/models/"), ("GET", "/docs/"), ("POST", "/v1/videos/"), ("POST", "/nope"), ("GET", "/nope")],
)
def test_a_path_the_page_has_not_is_answered_as_the_api_alone_answers(
    tmp_path: Path, method: str, path: str
) -> None:
    # The page's catch-all took these: "/v1/models/" was "no route" (the API alone redirects it to
    # /v1/models) and "POST /v1/videos/" was "POST is not allowed", of the path a video is made at.
    with _client(tmp_path / "a", page=False) as bare, _client(tmp_path / "b", page=True) as served:
        alone = bare.request(method, path, follow_redirects=False)
        answer = served.request(method, path, follow_redirects=False)
    assert (answer.status_code, answer.headers.get("location")) == (
        alone.status_code,
        alone.headers.get("location"),
    )
    assert answer.status_code in (307, 404), answer.text
    if answer.status_code == 404:
        assert answer.json()["error"]["message"] == f"no route {method} {path}"


def test_the_pages_own_files_are_still_served(tmp_path: Path) -> None:
    with _client(tmp_path, page=True) as served:
        for path, kind in [
            ("/", "text/html"),
            ("/index.html", "text/html"),
            ("/app.css", "text/css"),
            ("/favicon.svg", "image/svg+xml"),
            ("/js/main.js", "javascript"),
        ]:
            answer = served.get(path)
            assert answer.status_code == 200 and kind in answer.headers["content-type"], path
        head = served.head("/")
        assert head.status_code == 200 and head.content == b""
