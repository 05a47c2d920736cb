"""/openapi.json documents what the routes answer: every status a route gives is one it lists."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.openapi_once import openapi_of

#: A route's path with every parameter filled: no such id exists, so each asks for a missing thing.
_FILLED = re.compile(r"\{[^}]+\}")


def documented(client: TestClient, path: str, method: str) -> dict[str, Any]:
    responses: dict[str, Any] = openapi_of(client)["paths"][path][method]["responses"]
    return responses


def test_a_missing_key_is_a_documented_401_on_every_guarded_route(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(api_key="secret")
    spec = client.get("/openapi.json").json()
    undocumented = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            answer = client.request(method.upper(), _FILLED.sub("x", path))
            if str(answer.status_code) not in operation["responses"]:
                undocumented.append(f"{method.upper()} {path} answered {answer.status_code}")
    assert undocumented == []


def test_an_unknown_model_is_the_documented_404(client: TestClient) -> None:
    answer = client.get("/v1/models/no-such-model")
    assert answer.status_code == 404
    assert answer.json()["error"]["message"] == "no model 'no-such-model'; GET /v1/models lists them"
    assert "No such model" in documented(client, "/v1/models/{model_id}", "get")["404"]["description"]


@pytest.mark.parametrize("path", ["/api/video/generate", "/generate-video"])
def test_a_legacy_key_reused_with_another_body_is_the_documented_409(client: TestClient, path: str) -> None:
    key = {"Idempotency-Key": "one"}
    assert client.post("/api/video/generate", json={"prompt": "a fox"}, headers=key).status_code == 202
    answer = client.post(path, json={"prompt": "a heron"}, headers=key)
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "idempotency_conflict"
    assert "Idempotency-Key reused" in documented(client, path, "post")["409"]["description"]


def test_generate_video_documents_the_422_of_a_failed_job(client: TestClient) -> None:
    # It answers 422 when the job it waited for failed (legacy.generate_video); the spec's
    # rewrite of FastAPI's validation 422 into a 400 used to take this one out as well.
    responses = documented(client, "/generate-video", "post")
    assert "The job failed" in responses["422"]["description"]
    assert responses["400"]["description"]


@pytest.mark.parametrize("schema", ["VideoCreate", "VideoCreateForm", "VideoEnhance", "VideoEnhanceForm"])
def test_target_fps_is_documented_as_the_text_it_takes(client: TestClient, schema: str) -> None:
    spec = openapi_of(client)
    field = spec["components"]["schemas"][schema]["properties"]["target_fps"]
    texts = [choice for choice in field["anyOf"] if choice.get("type") == "string"]
    assert len(texts) == 1 and re.fullmatch(texts[0]["pattern"].strip("^$"), "60000/1001")
    assert not re.fullmatch(texts[0]["pattern"].strip("^$"), "fast")
    # ... and the route takes that text, as its description says.
    created = client.post(
        "/v1/videos", json={"prompt": "a fox", "model": "wan-tiny", "target_fps": "60000/1001"}
    )
    assert created.status_code == 202
    assert created.json()["parameters"]["target_fps"] == "60000/1001"


def test_the_events_route_documents_the_open_event_it_starts_with(client: TestClient) -> None:
    video = client.post("/v1/videos", json={"prompt": "a fox", "model": "wan-tiny"}).json()
    client.post(f"/v1/videos/{video['id']}/cancel")  # ended, so the stream ends too
    with client.stream("GET", f"/v1/videos/{video['id']}/events", headers={"Last-Event-ID": "1"}) as answer:
        lines = [line for line in answer.iter_lines() if line.startswith(("event:", "data:"))]
    assert lines[:2] == ["event: open", 'data: {"after":1}']  # Last-Event-ID: 1 resumes after event 1
    operation = openapi_of(client)["paths"]["/v1/videos/{video_id}/events"]["get"]
    assert '``open`` (data ``{"after": N}``' in operation["description"]
    header = next(p for p in operation["parameters"] if p["name"] == "Last-Event-ID")
    assert "wins over after" in header["description"]


@pytest.mark.parametrize("path", ["/v1/videos", "/v1/videos/{video_id}/remix", "/v1/videos/enhance"])
def test_a_route_that_stores_an_upload_or_a_job_documents_the_507_of_a_full_disk(
    client: TestClient, path: str
) -> None:
    # A full disk answers 507 (api/errors.py); enhance's routes listed neither it nor 413, 415 or 503.
    responses = documented(client, path, "post")
    assert {"413", "415", "503", "507"} <= set(responses)
    assert "disk is full" in responses["507"]["description"]
