"""A hostile client at the API: URLs urllib cannot read, a dripping image host, duplicate names, keys in URLs."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from reelgen.api import security
from reelgen.api.errors import ApiError
from reelgen.api.keylog import RedactKeys
from reelgen.api.security import FetchPolicy, fetch_url
from tests.api.conftest import files_under
from tests.jobs.test_enhance_kind import clip

I2V = {"prompt": "a fox", "model": "wan-i2v-tiny", "num_frames": 9}
TINY = {"prompt": "a fox", "model": "wan-tiny", "size": "64x64", "num_frames": 9}


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("https://example.com:99999/fox.png", "Port out of range"),
        ("https://example.com:abc/fox.png", "Port could not be cast"),
        ("https://[zzz]/fox.png", "does not appear to be an IPv4 or IPv6 address"),
        ("https://example.com:0/fox.png", "port 0 is not a port"),
    ],
)
def test_an_image_url_urllib_cannot_read_is_a_400_naming_the_field_not_a_500(
    client: TestClient, data_dir: Path, url: str, said: str
) -> None:
    before = files_under(data_dir)
    resp = client.post("/v1/videos", json={**I2V, "input_reference": {"image_url": url}})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "input_reference.image_url" and said in error["message"]
    legacy = client.post(
        "/api/video/animate", json={"prompt": "a fox", "model": "wan-i2v-tiny", "image_url": url}
    )
    assert legacy.status_code == 400 and legacy.json()["error"]["param"] == "image_url", legacy.text
    assert client.get("/v1/videos").json()["data"] == [] and files_under(data_dir) == before


@pytest.fixture
def dripping_host() -> Iterator[str]:
    """An image host that answers at once, then sends its body a byte every 0.2 s (each read is quick)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            try:
                for _ in range(1000):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:  # the fetcher hung up: what this test wants
                pass

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://images.example:{server.server_address[1]}/fox.png"
    server.shutdown()
    server.server_close()


def test_a_host_dripping_its_image_is_given_up_on_after_the_fetch_timeout(
    dripping_host: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # httpx's timeout bounds each read: with a byte every 0.2 s and a 1 s timeout, the whole body
    # would have taken 200 s, a request (and a thread) held that long.
    monkeypatch.setattr(security, "_resolve_public", lambda host, port, param: "127.0.0.1")
    started = time.monotonic()
    with pytest.raises(ApiError, match=r"bytes in 1 s and was given up \(REELGEN_FETCH_TIMEOUT_S\)"):
        fetch_url(dripping_host, FetchPolicy(timeout_s=1.0, max_bytes=10_000, allow_http=True))
    assert time.monotonic() - started < 5


def test_a_name_given_twice_is_a_400_naming_it_not_the_last_one_silently(
    client: TestClient, data_dir: Path
) -> None:
    before = files_under(data_dir)
    json_body = b'{"prompt": "a fox", "prompt": "a cat", "model": "wan-tiny", "num_frames": 9}'
    resp = client.post("/v1/videos", content=json_body, headers={"content-type": "application/json"})
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["param"] == "prompt"
    assert resp.json()["error"]["message"] == "prompt is given twice in the request body; send it once"
    nested = b'{"prompt": "a fox", "model": "wan-tiny", "metadata": {"a": "1", "a": "2"}}'
    resp = client.post("/v1/videos", content=nested, headers={"content-type": "application/json"})
    assert resp.status_code == 400 and resp.json()["error"]["param"] == "metadata.a", resp.text
    form = client.post("/v1/videos", data={"prompt": ["a fox", "a cat"], "model": "wan-tiny"})
    assert form.status_code == 400, form.text
    assert form.json()["error"]["message"] == "prompt is given twice; send it once"
    project = b'{"project": {"title": "a"}, "project": {"title": "b"}}'
    resp = client.post("/v1/projects", content=project, headers={"content-type": "application/json"})
    assert resp.status_code == 400 and resp.json()["error"]["param"] == "project", resp.text
    assert client.get("/v1/videos").json()["data"] == [] and files_under(data_dir) == before


def test_a_number_too_long_to_read_is_said_without_python_advice(client: TestClient) -> None:
    body = b'{"prompt": "a fox", "model": "wan-tiny", "seed": ' + b"9" * 5000 + b"}"
    resp = client.post("/v1/videos", content=body, headers={"content-type": "application/json"})
    assert resp.status_code == 400
    message = resp.json()["error"]["message"]
    assert message == "request body is not valid JSON (a number has more than 4300 digits)"


def test_a_key_in_the_url_is_refused_saying_so_and_kept_out_of_the_access_log(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(api_key="s3cret-key-in-url")
    resp = client.get("/v1/videos?api_key=s3cret-key-in-url")
    assert resp.status_code == 401
    assert "a key in the URL's ?api_key= is not read" in resp.json()["error"]["message"]
    assert "s3cret-key-in-url" not in resp.text
    access = logging.getLogger("uvicorn.access")
    with client:  # the app's lifespan hides keys in uvicorn's lines while it runs
        # This app's own filter: a server another test left running in this process may add its own.
        hider = [f for f in access.filters if isinstance(f, RedactKeys) and f.key == "s3cret-key-in-url"]
        assert len(hider) == 1
        # uvicorn's access line: client, method, path with its query, HTTP version, status.
        for path in ("/v1/videos?api_key=s3cret-key-in-url", "/v1/videos?limit=1&token=another-key"):
            record = logging.LogRecord(
                "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                ("127.0.0.1:5", "GET", path, "1.1", 401), None,
            )  # fmt: skip
            hider[0].filter(record)
            line = record.getMessage()
            assert "s3cret-key-in-url" not in line and "another-key" not in line
            assert "=[hidden]" in line and line.startswith('127.0.0.1:5 - "GET /v1/videos?')
    assert not [f for f in access.filters if isinstance(f, RedactKeys) and f.key == "s3cret-key-in-url"]


def test_another_method_on_the_enhance_route_is_a_405_saying_post_not_an_unknown_video(
    client: TestClient,
) -> None:
    for method in ("GET", "HEAD", "DELETE", "OPTIONS", "PUT"):
        resp = client.request(method, "/v1/videos/enhance")
        assert resp.status_code == 405, (method, resp.text)
        assert resp.headers["allow"] == "POST"
        if method != "HEAD":
            message = resp.json()["error"]["message"]
            assert message == f"{method} is not allowed on /v1/videos/enhance; use POST"
    # The videos' own routes and the other unoffered calls are as they were.
    assert client.get("/v1/videos/video_" + "0" * 32).status_code == 404
    assert client.post("/v1/videos/edits").json()["error"]["code"] == "unsupported_endpoint"


def _at_once(n: int, send: Callable[[], tuple[int, str, str | None]]) -> list[tuple[int, str, str | None]]:
    start, answers = threading.Barrier(n), []

    def one() -> None:
        start.wait()
        answers.append(send())

    threads = [threading.Thread(target=one) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def test_requests_racing_with_one_key_all_but_one_say_replayed_on_enhance_and_batches(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A request that lost the race for its key got the winner's job answered as new (202, no
    Idempotent-Replayed), so a client could not tell its retry from a second job."""
    upload = clip(tmp_path / "in.mp4").read_bytes()

    def enhance() -> tuple[int, str, str | None]:
        resp = client.post(
            "/v1/videos/enhance",
            data={"interpolate": "2"},
            files={"file": ("in.mp4", upload)},
            headers={"Idempotency-Key": "race-enhance"},
        )
        return resp.status_code, resp.json()["id"], resp.headers.get("idempotent-replayed")

    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    shots = tmp_path / "shots"
    shots.mkdir()
    body = {
        "manifest": {"defaults": {"model": "ken-burns"}, "items": [{"output": "a", "images": []}]},
        "input_folder": str(shots),
    }

    def batch() -> tuple[int, str, str | None]:
        resp = client.post("/v1/batches", json=body, headers={"Idempotency-Key": "race-batch"})
        assert resp.status_code in (200, 202), resp.text
        return resp.status_code, resp.json()["id"], resp.headers.get("idempotent-replayed")

    for send in (enhance, batch):
        answers = _at_once(8, send)
        assert len({job_id for _, job_id, _ in answers}) == 1
        assert sorted((status, replayed) for status, _, replayed in answers) == [(200, "true")] * 7 + [
            (202, None)
        ]
