"""Every refusal of every route carries an error ``code`` a client can branch on, never null."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.api.openapi_once import openapi_of

#: A project of one title card: made with no uploads and no model.
CARD = {"title": "Card", "scenes": [{"id": "card", "title_card": {"text": "hi"}, "duration": 1.0}]}


def _bad_bodies(client: TestClient, method: str, url: str) -> Iterator[httpx.Response]:
    """The wrong things a client sends to one route: nothing, unknown fields, not an object, not JSON."""
    yield client.request(method, url)
    yield client.request(method, url, json={"zz_unknown": 1})
    yield client.request(method, url, json={})
    yield client.request(method, url, json=[1])
    yield client.request(method, url, content=b"{", headers={"Content-Type": "application/json"})
    yield client.request(method, url, content=b"x", headers={"Content-Type": "text/plain"})
    yield client.request(method, url, data={"zz_unknown": "1"}, files={"zz_file": ("a.txt", b"hi")})
    yield client.request(method, url, params={"limit": "lots", "after": "-", "order": "sideways"})
    yield client.request("PATCH", url)


def _refusals(client: TestClient, project: str) -> Iterator[tuple[str, httpx.Response]]:
    # Refusals reported with no code before (a project without its file, settings of an export the
    # render was not asked to make), first, while the project has no job to make them a 409.
    yield "POST /v1/projects", client.post("/v1/projects", data={"title": "x"})
    yield "POST /v1/projects", client.post("/v1/projects", json={"project": "scenes: 3"})
    render = f"/v1/projects/{project}/render"
    yield "POST render", client.post(render, json={"export_settings": {"width": 64}})
    yield "POST render", client.post(render, json={"export": True, "export_settings": {"width": 63}})
    yield "POST export", client.post(f"/v1/projects/{project}/export", json={"export_settings": {"crf": -1}})
    yield "PUT project", client.put(f"/v1/projects/{project}", json={"project": {"scenes": []}})
    yield "GET clip", client.get(f"/v1/projects/{project}/clips/none")
    yield "POST /v1/videos", client.post("/v1/videos", json={"prompt": "a fox", "model": "no-such-model"})
    yield "POST /v1/videos", client.post("/v1/videos", json={"prompt": "a fox", "seconds": "-1"})
    yield "GET /nowhere", client.get("/v1/nowhere")

    spec = openapi_of(client)
    for path, operations in spec["paths"].items():
        for method in operations:
            # A made project's id where the route takes one, so its body is checked, not only its id
            # (DELETE aside, which would take it away from the routes after it).
            url = path if method == "delete" else path.replace("{project_id}", project)
            url = re.sub(r"\{\w+\}", "nope-0", url)
            if url.endswith("/events") and method == "get" and "nope-0" not in url:
                continue  # a stream of a real job never ends
            for answer in _bad_bodies(client, method.upper(), url):
                yield f"{method.upper()} {url}", answer


def test_every_refusal_of_every_route_names_a_code(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))  # batch and shoot-out bodies get checked too
    client = make_client()
    made = client.post("/v1/projects", json={"project": CARD})
    assert made.status_code == 201, made.text
    seen: dict[int, int] = {}
    codeless: list[str] = []
    for route, answer in _refusals(client, made.json()["id"]):
        if answer.status_code < 400:
            continue
        seen[answer.status_code] = seen.get(answer.status_code, 0) + 1
        error: dict[str, Any] = answer.json()["error"]
        if not (isinstance(error.get("code"), str) and error["code"]):
            codeless.append(f"{route} {answer.status_code}: {error}")
    assert not codeless, "\n".join(codeless)
    assert {400, 404, 405, 409, 415} <= set(seen), seen  # the walk reached the kinds of refusal it means to


def test_a_refusal_without_its_own_code_has_its_status_code(make_client: Callable[..., TestClient]) -> None:
    client = make_client(api_key="k" * 32)
    unkeyed = client.get("/v1/models")
    assert unkeyed.status_code == 401 and unkeyed.json()["error"]["code"] == "invalid_api_key"
    keyed = client.post("/v1/projects", data={"title": "x"}, headers={"Authorization": f"Bearer {'k' * 32}"})
    assert keyed.status_code == 400 and keyed.json()["error"]["code"] == "invalid_request"


def test_openapi_says_an_error_always_has_a_code(client: TestClient) -> None:
    body = openapi_of(client)["components"]["schemas"]["ErrorBody"]
    assert "code" in body["required"] and body["properties"]["code"] == {"type": "string", "title": "Code"}
