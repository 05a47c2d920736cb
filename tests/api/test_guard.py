"""Other web pages cannot use the server: Host checked (DNS rebinding), cross-origin writes refused, headers set."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.jobs.settings import JobSettings
from tests.api.conftest import png
from tests.api.serving import free_port
from tests.jobs.helpers import wait_for

TINY = {"prompt": "a fox", "model": "wan-tiny", "num_frames": "9"}


@pytest.fixture
def served(data_dir: Path) -> Iterator[Callable[..., str]]:
    """A real loopback server (so Host is what the socket saw, not a test client's), jobs only queued."""
    servers: list[tuple[uvicorn.Server, threading.Thread]] = []

    def serve(**fields: object) -> str:
        settings = ApiSettings(jobs=JobSettings(data_dir=data_dir), serve_web=True, **fields)  # type: ignore[arg-type]
        port = free_port()
        config = uvicorn.Config(
            create_app(settings, start_service=False), host="127.0.0.1", port=port, log_level="warning"
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        servers.append((server, thread))
        wait_for(lambda: server.started, timeout_s=60, what="the API to listen")
        return f"http://127.0.0.1:{port}"

    yield serve
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=30)


def jobs(url: str) -> list[str]:
    return [v["id"] for v in httpx.get(f"{url}/v1/videos").json()["data"]]


def test_a_form_posted_from_another_site_creates_nothing(served: Callable[..., str]) -> None:
    url = served()
    for origin in (
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Referer": "http://evil.example/x"},
    ):
        form = httpx.post(f"{url}/v1/videos", data=TINY, headers=origin)
        assert form.status_code == 403, (origin, form.text)
        assert form.json()["error"]["code"] == "cross_origin"
        upload = httpx.post(
            f"{url}/v1/videos",
            data=TINY,
            files={"input_reference": ("a.png", png(), "image/png")},
            headers=origin,
        )
        assert upload.status_code == 403
    assert (
        httpx.post(f"{url}/v1/videos", data=TINY, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    )
    assert jobs(url) == []
    # The server's own page, and clients that are no browser, still create jobs.
    own = httpx.post(f"{url}/v1/videos", json={**TINY, "num_frames": 9}, headers={"Origin": url})
    plain = httpx.post(f"{url}/v1/videos", json={**TINY, "num_frames": 9})
    assert own.status_code == plain.status_code == 202
    assert len(jobs(url)) == 2


def test_cancel_and_delete_from_another_site_are_refused_too(served: Callable[..., str]) -> None:
    url = served()
    video = httpx.post(f"{url}/v1/videos", json={**TINY, "num_frames": 9}).json()["id"]
    evil = {"Origin": "http://evil.example"}
    assert httpx.post(f"{url}/v1/videos/{video}/cancel", headers=evil).status_code == 403
    assert httpx.delete(f"{url}/v1/videos/{video}", headers=evil).status_code == 403
    assert httpx.get(f"{url}/v1/videos/{video}").json()["status"] == "queued"


def test_with_an_api_key_a_keyed_cross_origin_call_passes(served: Callable[..., str]) -> None:
    url = served(api_key="s3cret", allowed_origins="https://studio.example")
    evil = {"Origin": "http://evil.example"}
    assert httpx.post(f"{url}/v1/videos", data=TINY, headers=evil).status_code == 403
    keyed = {**evil, "Authorization": "Bearer s3cret"}
    assert httpx.post(f"{url}/v1/videos", json={**TINY, "num_frames": 9}, headers=keyed).status_code == 202
    listed = {"Origin": "https://studio.example", "Authorization": "Bearer s3cret"}
    assert httpx.post(f"{url}/v1/videos", json={**TINY, "num_frames": 9}, headers=listed).status_code == 202


def test_a_rebinding_host_name_is_refused(served: Callable[..., str]) -> None:
    url = served(allowed_hosts="reelgen.lan")
    for host in ("evil.example", "evil.example:8000", "127.0.0.1.evil.example"):
        resp = httpx.get(f"{url}/v1/videos", headers={"Host": host})
        assert resp.status_code == 400, host
        assert resp.json()["error"]["code"] == "invalid_host"
    assert httpx.post(f"{url}/v1/videos", json=TINY, headers={"Host": "evil.example"}).status_code == 400
    for host in ("127.0.0.1", "localhost:1234", "[::1]:80", "reelgen.lan", "REELGEN.LAN:9"):
        assert httpx.get(f"{url}/v1/videos", headers={"Host": host}).status_code == 200, host
    assert jobs(url) == []


def test_the_page_and_every_answer_carry_security_headers(served: Callable[..., str]) -> None:
    url = served()
    for path in ("/", "/v1/videos", "/v1/videos/video_" + "0" * 32, "/docs"):
        resp = httpx.get(f"{url}{path}")
        assert resp.headers["x-content-type-options"] == "nosniff", path
        assert resp.headers["referrer-policy"] == "no-referrer"
        assert resp.headers["x-frame-options"] == "DENY"
        policy = resp.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy
        assert "script-src 'self'" in policy and "unsafe-eval" not in policy
    refused = httpx.get(f"{url}/", headers={"Host": "evil.example"})
    assert refused.headers["x-frame-options"] == "DENY"


def test_a_nul_in_the_url_is_a_400(make_client: Callable[..., TestClient]) -> None:
    client = make_client()
    for path in ("/v1/videos?model=%00", "/v1/videos?model=wan%00x", "/v1/videos/video_%00"):
        resp = client.get(path)
        assert resp.status_code == 400, path


def test_a_listed_origin_may_call_the_api_from_its_page_and_no_other_may(
    make_client: Callable[..., TestClient],
) -> None:
    # REELGEN_ALLOWED_ORIGINS let that origin's writes through, but with no CORS a browser refused
    # every fetch from its page: the JSON create's preflight was a 405, and no answer was readable.
    client = make_client(allowed_origins="https://studio.example")
    asks = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, idempotency-key",
    }
    studio, evil = {"Origin": "https://studio.example"}, {"Origin": "http://evil.example"}
    preflight = client.options("/v1/videos", headers={**studio, **asks})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://studio.example"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "idempotency-key" in preflight.headers["access-control-allow-headers"]
    made = client.post("/v1/videos", json={**TINY, "num_frames": 9}, headers=studio)
    assert made.status_code == 202 and made.headers["access-control-allow-origin"] == "https://studio.example"
    assert "Location" in made.headers["access-control-expose-headers"]
    assert (
        client.get("/v1/videos", headers=studio).headers["access-control-allow-origin"]
        == "https://studio.example"
    )
    refused = client.options("/v1/videos", headers={**evil, **asks})
    assert "access-control-allow-origin" not in refused.headers
    assert "access-control-allow-origin" not in client.get("/v1/videos", headers=evil).headers
    assert client.post("/v1/videos", json={**TINY, "num_frames": 9}, headers=evil).status_code == 403


def test_a_compressed_body_is_refused_naming_its_encoding(client: TestClient) -> None:
    # It was read as it came: "not valid JSON ('utf-8' codec can't decode byte 0x8b ...)", and
    # on the legacy routes "There was an error parsing the body".
    body = gzip.compress(b'{"prompt": "a fox", "model": "wan-tiny"}')
    for path in ("/v1/videos", "/api/video/generate"):
        resp = client.post(
            path, content=body, headers={"Content-Type": "application/json", "Content-Encoding": "gzip"}
        )
        assert resp.status_code == 415, (path, resp.text)
        error = resp.json()["error"]
        assert (
            error["message"] == "Content-Encoding 'gzip' is not accepted: send the request body uncompressed"
        )
        assert error["param"] == "Content-Encoding" and resp.headers["accept-encoding"] == "identity"
    plain = {"Content-Type": "application/json", "Content-Encoding": "identity"}
    assert (
        client.post(
            "/v1/videos", content=b'{"prompt": "a fox", "model": "wan-tiny"}', headers=plain
        ).status_code
        == 202
    )
    assert client.get("/v1/videos", headers={"Content-Encoding": "gzip"}).status_code == 200  # no body
