"""A query parameter a route does not declare is a 400 naming it and what the route takes, never ignored."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from tests.api.openapi_once import openapi_of

KEY = "s58b-key-long-enough-to-pass"


def test_a_misspelt_filter_is_refused_not_a_full_list(client: TestClient) -> None:
    # ?statsu=completed answered every video, as if no filter had been given.
    resp = client.get("/v1/videos?statsu=completed")
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"] == {
        "message": "GET /v1/videos does not take the query parameter 'statsu' (did you mean 'status'?); "
        "it takes after, limit, order, status, model, parent",
        "type": "invalid_request_error",
        "param": "statsu",
        "code": "invalid_value",
    }


def test_only_the_unknown_names_are_named(client: TestClient) -> None:
    resp = client.get("/v1/videos?limit=5&limt=5&zz=1")
    assert resp.status_code == 400, resp.text
    message = resp.json()["error"]["message"]
    assert message.startswith(
        "GET /v1/videos does not take the query parameters 'limt', 'zz' (did you mean 'limit'?)"
    )
    assert resp.json()["error"]["param"] == "limt"


def test_many_unknown_names_are_counted_past_five(client: TestClient) -> None:
    resp = client.get("/v1/models?" + "&".join(f"n{i}=1" for i in range(40)))
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["message"] == (
        "GET /v1/models takes no query parameters (got 'n0', 'n1', 'n2', 'n3', 'n4' and 35 more)"
    )


def test_a_route_that_takes_none_says_so(client: TestClient) -> None:
    resp = client.get("/v1/models?limit=5")
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["message"] == "GET /v1/models takes no query parameters (got 'limit')"
    resp = client.get("/v1/videos/video_0123/content?varient=thumbnail")
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["message"] == (
        "GET /v1/videos/{video_id}/content does not take the query parameter 'varient' "
        "(did you mean 'variant'?); it takes variant"
    )


def test_declared_parameters_still_answer(client: TestClient) -> None:
    assert client.get("/v1/videos?status=completed&limit=5&order=asc").status_code == 200
    assert client.get("/v1/batches?limit=2&status=queued").status_code == 200
    assert client.get("/v1/projects?limit=2").status_code == 200
    assert client.get("/v1/videos").status_code == 200
    assert client.head("/v1/videos?limit=2").status_code == 200
    assert client.head("/v1/videos?limt=2").status_code == 400


def _operations(client: TestClient) -> list[tuple[str, str]]:
    spec = openapi_of(client)
    return [(method.upper(), path) for path, ops in spec["paths"].items() for method in ops]


def test_every_route_in_the_schema_refuses_an_unknown_parameter(client: TestClient) -> None:
    # Checked once for every route, not route by route: a new route cannot forget it.
    operations = _operations(client)
    assert len(operations) > 40
    for method, path in operations:
        url = re.sub(r"\{[^}]+\}", "x", path) + "?zz_not_a_parameter=1"
        resp = client.request(method, url)
        assert resp.status_code == 400, (method, path, resp.text)
        error = resp.json()["error"]
        assert error["param"] == "zz_not_a_parameter", (method, path, error)
        assert error["message"].startswith(f"{method} {path} "), (method, path, error)


def test_a_keyless_request_hears_the_401_first(make_client: Callable[..., TestClient]) -> None:
    # The key check answers first on routes that need a key, so a key put in the URL is said to be
    # unread; a route without one (health) still refuses the unknown name.
    client = make_client(api_key=KEY)
    for url in (
        "/v1/videos?api_key=abc",
        "/v1/models?api_key=abc",  # guarded where the router is included
        "/v1/projects/x/jobs/y/events?api_key=abc",  # a router included in another
        "/v1/system?api_key=abc",
    ):
        resp = client.get(url)
        assert resp.status_code == 401, (url, resp.text)
        assert "a key in the URL's ?api_key= is not read" in resp.json()["error"]["message"]
    resp = client.get("/healthz?verbose=1")
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["message"] == "GET /healthz takes no query parameters (got 'verbose')"
    keyed = {"Authorization": f"Bearer {KEY}"}
    resp = client.get("/v1/models?api_key=abc", headers=keyed)
    assert resp.status_code == 400, resp.text


@pytest.mark.parametrize("path", ["/", "/index.html", "/docs"])
def test_the_page_and_docs_keep_taking_any_query(path: str, data_dir: object) -> None:
    # Not API routes: a link with ?utm_source=... or a cache-busting ?v=2 still opens the page.
    from reelgen.jobs.settings import JobSettings

    settings = ApiSettings(jobs=JobSettings(data_dir=data_dir), serve_web=True)
    with TestClient(create_app(settings, start_service=False)) as client:
        assert client.get(f"{path}?utm_source=mail").status_code == 200
