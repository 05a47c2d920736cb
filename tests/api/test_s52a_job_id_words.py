"""What a job id looks like, and where each kind of job is read, are said one way everywhere: the CLI's
check said "ids are video_ and 32 hex digits" where the server said "'video_' followed by 32 hex digits"."""

from __future__ import annotations

import pytest
import typer
from fastapi.testclient import TestClient

from reelgen.cli.jobs_args import checked_job_id
from reelgen.jobs.records import KIND_PATHS, known_as


def test_the_cli_says_an_id_as_the_server_does(client: TestClient) -> None:
    with pytest.raises(typer.BadParameter) as refused:
        checked_job_id("shots/001")
    assert str(refused.value) == (
        "'shots/001' is not a job id: job ids are 'video_' followed by 32 hex digits, "
        "as `reelgen list` shows them"
    )
    said = client.get("/v1/batches/shot-001").json()["error"]["message"]
    assert said == "no batch 'shot-001': batch ids are 'video_' followed by 32 hex digits"


@pytest.mark.parametrize("kind", sorted(KIND_PATHS))
def test_each_kinds_url_is_a_route_of_the_server(client: TestClient, kind: str) -> None:
    job_id = "video_" + "0" * 32
    url = known_as(kind, job_id).partition("(GET ")[2].removesuffix(")")
    assert url == f"/v1/{KIND_PATHS[kind]}/{job_id}"
    resp = client.get(url)
    # A route that knows no such job, not a path the server has no route for (which says so).
    assert resp.status_code == 404 and resp.json()["error"]["code"] == "not_found", resp.text
    assert "no route" not in resp.text.lower()


def test_a_kind_with_no_route_of_its_own_is_named_without_one() -> None:
    assert known_as("project", "video_1") == "the project job video_1"
    assert known_as("shootout", "video_1") == "the shoot-out video_1 (GET /v1/shootouts/video_1)"
    assert known_as("enhance", "video_1") == "the video video_1 (GET /v1/videos/video_1)"
