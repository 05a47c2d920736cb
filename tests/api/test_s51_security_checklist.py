"""The security checklist (docs/reliability.md, section 4), each item tried against the app as a client would."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from reelgen.api.security import check_bind

#: What a server with a key answers without it: the health checks, and the page and docs (no jobs).
OPEN = {"/health", "/healthz", "/readyz", "/", "/index.html", "/app.css", "/favicon.svg"}
OPEN_DOCS = {"/docs", "/redoc", "/openapi.json"}
PROJECT = "title: t\nscenes:\n  - prompt: a fox\n    model: wan-tiny\n    duration: 1\n"


def _routes(routes: list[Any]) -> Iterator[tuple[str, set[str]]]:
    """Every (path, methods) the app answers, through FastAPI's included routers."""
    for route in routes:
        if hasattr(route, "_effective_candidates"):
            for found in route._effective_candidates:
                inner = getattr(found, "original_route", found)
                if hasattr(inner, "_effective_candidates") or not hasattr(found, "path"):
                    yield from _routes([inner])
                else:
                    yield found.path, set(getattr(inner, "methods", None) or {"GET"})
        elif hasattr(route, "path"):
            yield route.path, set(getattr(route, "methods", None) or {"GET"})


def test_every_api_route_asks_for_the_key_and_only_health_page_and_docs_do_not(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(api_key="s3cret", serve_web=True)
    app: FastAPI = client.app  # type: ignore[assignment]
    answered_without_key = set()
    seen = 0
    for path, methods in _routes(app.router.routes):
        for method in sorted(methods - {"HEAD", "OPTIONS"}):
            url = re.sub(r"\{[^}:]+(:path)?\}", "x1", path)
            seen += 1
            if client.request(method, url).status_code != 401:
                answered_without_key.add(path)
    assert seen > 50  # every route was walked, not only the top-level ones
    mounts = {"/docs/assets", "/js"}  # the page's and the docs' own files (404 here: no file named)
    assert answered_without_key <= OPEN | OPEN_DOCS | mounts, answered_without_key - OPEN - OPEN_DOCS
    # The event streams and downloads are API routes like any other.
    for url in ("/v1/videos/x1/events", "/v1/videos/x1/content", "/v1/projects/x1/exports/a.mp4"):
        assert client.get(url).status_code == 401, url


def test_beyond_loopback_needs_a_key() -> None:
    for host in ("0.0.0.0", "::", "192.168.1.5", "0"):
        with pytest.raises(ValueError, match="set REELGEN_API_KEY"):
            check_bind(host, None)
    # ::ffff:127.0.0.1 is 127.0.0.1 written as IPv6: a socket bound to it takes loopback alone (8089d7f4).
    for host in ("127.0.0.1", "::1", "localhost", "::ffff:127.0.0.1"):
        check_bind(host, None)
    check_bind("0.0.0.0", "s3cret")


def test_cors_is_off_unless_the_origin_is_listed(client: TestClient) -> None:
    evil = {"Origin": "https://evil.example"}
    preflight = client.options("/v1/videos", headers={**evil, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers
    listed = client.get("/v1/videos", headers=evil)
    assert listed.status_code == 200 and "access-control-allow-origin" not in listed.headers
    posted = client.post("/v1/videos", json={"prompt": "a fox", "model": "wan-tiny"}, headers=evil)
    assert posted.status_code == 403 and posted.json()["error"]["code"] == "cross_origin"


def test_names_from_a_request_never_reach_outside_the_servers_folders(
    make_client: Callable[..., TestClient], tmp_path: Path
) -> None:
    (tmp_path / "loras").mkdir()
    (tmp_path / "evil.safetensors").write_bytes(b"not a lora")
    client = make_client(lora_dir=tmp_path / "loras")
    for name in ("../evil", "../evil.safetensors", str(tmp_path / "evil.safetensors"), "a/../../evil"):
        body = {"prompt": "x", "model": "wan-tiny", "loras": [{"name": name, "strength": 1}]}
        resp = client.post("/v1/videos", json=body)
        assert resp.status_code == 400 and resp.json()["error"]["param"] == "loras[0].name", name
    outside = PROJECT.replace("duration: 1\n", "duration: 1\n    start_image: ../../secret.png\n")
    resp = client.post("/v1/projects", json={"project": outside})
    assert resp.status_code == 400 and "relative path inside the project folder" in resp.text
    upload = [("project", (None, PROJECT)), ("files", ("../../escape.png", b"x"))]
    assert client.post("/v1/projects", files=upload).status_code == 400
    made = client.post("/v1/projects", json={"project": PROJECT}).json()["id"]
    for url in (
        f"/v1/projects/{made}/exports/..%2f..%2fjobs.db",
        f"/v1/projects/{made}/exports/%2e%2e",
        f"/v1/projects/{made}/clips/..%2f..%2fjobs.db",
        "/v1/videos/..%2f..%2fjobs.db/content",
    ):
        resp = client.get(url)
        assert resp.status_code == 404 and "SQLite" not in resp.text, url


def test_an_unexpected_error_is_the_envelope_without_traceback_or_path(
    make_client: Callable[..., TestClient], tmp_path: Path
) -> None:
    client = make_client()
    app: FastAPI = client.app  # type: ignore[assignment]
    where = tmp_path / "secret" / "place.db"

    def broken() -> None:
        raise OSError(f"cannot open {where}")

    app.router.add_api_route("/v1/broken", broken)
    resp = client.get("/v1/broken")
    assert resp.status_code == 500
    assert resp.json()["error"]["message"] == "internal error (OSError); see the server log"
    assert str(tmp_path) not in resp.text and "Traceback" not in resp.text
