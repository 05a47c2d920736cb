"""The edge's refusals: a broken Origin is no 500, the 403 names the origin and its setting, and every
refusal carries the security headers (and CORS, for a listed origin's page)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

TINY = {"prompt": "a fox", "model": "wan-tiny", "num_frames": 9}


@pytest.mark.parametrize("header", ["Origin", "Referer"])
@pytest.mark.parametrize("value", ["http://[x", "http://[::1"])
def test_an_origin_urllib_cannot_read_is_a_cross_origin_refusal_not_a_500(
    client: TestClient, header: str, value: str
) -> None:
    # urlsplit raises on an unclosed bracket: the write was an "internal error (ValueError)".
    resp = client.post("/v1/videos", json=TINY, headers={header: value})
    assert resp.status_code == 403, resp.text
    error = resp.json()["error"]
    assert error["code"] == "cross_origin"
    assert f"{header} {value!r}" in error["message"]
    assert client.get("/v1/videos").json()["data"] == []


def test_the_cross_origin_refusal_names_the_origin_seen_and_the_setting_that_allows_it(
    client: TestClient,
) -> None:
    # A person's own web app on another port heard only "call the API from this server's own page".
    resp = client.post("/v1/videos", json=TINY, headers={"Origin": "http://localhost:3000"})
    assert resp.status_code == 403
    message = resp.json()["error"]["message"]
    assert "Origin 'http://localhost:3000'" in message and "REELGEN_ALLOWED_ORIGINS" in message


@pytest.mark.parametrize("path", ["/v1/videos?model=%00", "/v1/videos?limit=1&limit=50"])
def test_refusals_at_the_edge_carry_the_security_headers_and_a_listed_origin_can_read_them(
    make_client: Callable[..., TestClient], path: str
) -> None:
    client = make_client(allowed_origins="https://studio.example")
    plain = client.get(path)
    assert plain.status_code == 400
    assert plain.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in plain.headers["content-security-policy"]
    assert "access-control-allow-origin" not in plain.headers
    # The studio's page got no CORS header on a refusal, so fetch() said only "Failed to fetch".
    studio = client.get(path, headers={"Origin": "https://studio.example"})
    assert studio.status_code == 400
    assert studio.headers["access-control-allow-origin"] == "https://studio.example"
    assert studio.headers["x-frame-options"] == "DENY"
    other = client.get(path, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_a_listed_origins_page_can_write_as_a_real_browser_sends_it(
    make_client: Callable[..., TestClient],
) -> None:
    # Browsers send Sec-Fetch-Site: cross-site with every call from https://studio.example to this
    # server; that header was looked at before the list, so every create from the studio was a 403.
    client = make_client(allowed_origins="https://studio.example")
    browser = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "cors"}
    made = client.post("/v1/videos", json=TINY, headers={**browser, "Origin": "https://studio.example"})
    assert made.status_code == 202, made.text
    assert made.headers["access-control-allow-origin"] == "https://studio.example"
    other = client.post("/v1/videos", json=TINY, headers={**browser, "Origin": "https://evil.example"})
    assert other.status_code == 403 and other.json()["error"]["code"] == "cross_origin"
    unsaid = client.post("/v1/videos", json=TINY, headers=browser)  # a form post with its Origin left out
    assert unsaid.status_code == 403
    assert len(client.get("/v1/videos").json()["data"]) == 1


def test_an_origin_listed_with_its_default_port_matches_what_browsers_send(
    make_client: Callable[..., TestClient],
) -> None:
    # Browsers leave the default port out of Origin: https://studio.example:443 was listed and never
    # matched, so every write from the studio's page was a 403 and no answer was readable.
    client = make_client(
        allowed_origins="https://studio.example:443,http://tools.example:80,http://dev.example:8443"
    )
    for origin in ("https://studio.example", "http://tools.example", "http://dev.example:8443"):
        made = client.post(
            "/v1/videos", json=TINY, headers={"Origin": origin, "Sec-Fetch-Site": "cross-site"}
        )
        assert made.status_code == 202, (origin, made.text)
        assert made.headers["access-control-allow-origin"] == origin
    other = client.post("/v1/videos", json=TINY, headers={"Origin": "http://dev.example"})
    assert other.status_code == 403
