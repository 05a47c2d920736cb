"""Hostile input at the API edge: each is refused with a 4xx and leaves nothing behind."""

from __future__ import annotations

import base64
import struct
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from reelgen.jobs import kinds
from tests.api.conftest import files_under, png

FORM = {"prompt": "a fox", "model": "wan-i2v-tiny", "num_frames": "9"}


def bomb_png(width: int, height: int) -> bytes:
    """A small PNG whose header claims a huge canvas."""
    raw = png(8, 8)
    chunk = b"IHDR" + struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return raw[:8] + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk)) + raw[33:]


def assert_nothing_written(client: TestClient, data_dir: Path, before: list[Path]) -> None:
    assert client.get("/v1/videos").json()["data"] == []
    assert files_under(data_dir) == before


def test_multipart_upload_becomes_an_image_to_video_job(client: TestClient, data_dir: Path) -> None:
    resp = client.post("/v1/videos", data=FORM, files={"input_reference": ("fox.png", png(), "image/png")})
    assert resp.status_code == 202, resp.text
    video = resp.json()
    stored = kinds.payload_of(client.app.state.service.get(video["id"]))  # type: ignore[attr-defined]
    assert stored.task == "i2v"
    saved = Path(stored.start_image)
    assert saved.parent == data_dir / "inputs" and saved.read_bytes() == png()
    assert saved.name != "fox.png"  # the client's file name never reaches a path


def test_json_data_url_image_is_accepted(client: TestClient) -> None:
    url = "data:image/png;base64," + base64.b64encode(png()).decode()
    resp = client.post("/v1/videos", json={**FORM, "num_frames": 9, "input_reference": {"image_url": url}})
    assert resp.status_code == 202, resp.text


def test_idempotent_retry_with_an_upload_keeps_one_input_file(client: TestClient, data_dir: Path) -> None:
    for _ in range(2):
        resp = client.post(
            "/v1/videos",
            data=FORM,
            files={"input_reference": ("a.png", png(), "image/png")},
            headers={"Idempotency-Key": "upload-1"},
        )
        assert resp.status_code in (200, 202)
    assert len(files_under(data_dir / "inputs")) == 1


def test_oversized_upload_is_refused_with_413(make_client: Callable[..., TestClient], data_dir: Path) -> None:
    client = make_client(max_upload_bytes=50_000)
    before = files_under(data_dir)
    big = png(600, 600, (1, 2, 3)) + b"\0" * 60_000
    resp = client.post("/v1/videos", data=FORM, files={"input_reference": ("big.png", big, "image/png")})
    assert resp.status_code == 413
    assert resp.json()["error"]["code"] == "payload_too_large"
    assert resp.json()["error"]["message"].startswith("request body is larger than 48.8 KiB (50,000 bytes)")

    def chunks() -> Iterator[bytes]:
        yield b'{"prompt": "'
        for _ in range(20):
            yield b"x" * 5_000
        yield b'"}'

    streamed = client.post("/v1/videos", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413
    assert_nothing_written(client, data_dir, before)


def test_decompression_bomb_is_refused(client: TestClient, data_dir: Path) -> None:
    before = files_under(data_dir)
    resp = client.post(
        "/v1/videos",
        data=FORM,
        files={"input_reference": ("bomb.png", bomb_png(30_000, 30_000), "image/png")},
    )
    assert resp.status_code == 400
    assert resp.json()["error"]["code"] == "image_too_large"
    assert resp.json()["error"]["param"] == "input_reference"
    assert_nothing_written(client, data_dir, before)


def test_unknown_formats_are_refused(client: TestClient, data_dir: Path) -> None:
    before = files_under(data_dir)
    svg = b"<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>"
    resp = client.post("/v1/videos", data=FORM, files={"input_reference": ("x.svg", svg, "image/svg+xml")})
    assert resp.status_code == 400 and "valid formats: JPEG, PNG, WEBP" in resp.json()["error"]["message"]
    video = client.post("/v1/videos", data=FORM, files={"source_video": ("x.mp4", b"\0" * 100, "video/mp4")})
    assert video.status_code == 400 and video.json()["error"]["param"] == "source_video"
    assert_nothing_written(client, data_dir, before)


def test_image_url_to_loopback_is_refused(make_client: Callable[..., TestClient], data_dir: Path) -> None:
    client = make_client(fetch_allow_http=True)
    before = files_under(data_dir)
    for url in ("http://127.0.0.1:9/fox.png", "https://localhost/fox.png", "http://[::1]/x.png"):
        resp = client.post(
            "/v1/videos", json={**FORM, "num_frames": 9, "input_reference": {"image_url": url}}
        )
        assert resp.status_code == 400, resp.text
        assert resp.json()["error"]["code"] == "blocked_url"
    webhook = client.post(
        "/v1/videos", json={**FORM, "num_frames": 9, "webhook": {"url": "http://127.0.0.1/h"}}
    )
    assert webhook.status_code == 400 and webhook.json()["error"]["param"] == "webhook.url"
    assert_nothing_written(client, data_dir, before)


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("http://example.com:99999/h", "Port out of range"),
        ("http://example.com:abc/h", "Port could not be cast"),
        ("http://[::1/h", "Invalid IPv6 URL"),
    ],
)
def test_a_webhook_url_no_request_could_go_to_is_a_400_naming_it(
    client: TestClient, data_dir: Path, url: str, said: str
) -> None:
    # The address check read the port first and its ValueError was a 500.
    before = files_under(data_dir)
    resp = client.post("/v1/videos", json={"prompt": "a fox", "model": "wan-tiny", "webhook": {"url": url}})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "webhook.url" and said in error["message"]
    assert_nothing_written(client, data_dir, before)


def test_path_traversal_ids_are_refused(client: TestClient, data_dir: Path) -> None:
    secret = data_dir / "outputs" / "secret.txt"
    secret.parent.mkdir(parents=True)
    secret.write_text("do not serve")
    before = files_under(data_dir)
    for vid in ("..", "..%2Fsecret.txt", "..%2F..%2Fetc%2Fpasswd", "video_..", "%2e%2e", "video_x%00"):
        for method, suffix in (("GET", "/content"), ("GET", ""), ("DELETE", ""), ("POST", "/cancel")):
            resp = client.request(method, f"/v1/videos/{vid}{suffix}")
            assert resp.status_code in (400, 404, 405), (vid, method, resp.status_code)
            assert "do not serve" not in resp.text
    assert secret.read_text() == "do not serve"
    assert files_under(data_dir) == before


def test_api_key_is_required_when_configured(make_client: Callable[..., TestClient]) -> None:
    client = make_client(api_key="s3cret", serve_web=True)
    assert client.get("/v1/videos").status_code == 401
    wrong = client.get("/v1/videos", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.json()["error"]["type"] == "authentication_error"
    assert wrong.headers["www-authenticate"] == "Bearer"
    ok = {"Authorization": "Bearer s3cret"}
    assert client.get("/v1/videos", headers=ok).status_code == 200
    for path in ("/v1/models", "/metrics", "/v1/system", "/api/video/status/video_" + "0" * 32):
        assert client.get(path).status_code == 401, path
    assert client.post("/generate-video", json={"prompt": "x"}).status_code == 401
    # What the API description says is open: the health checks, and the page and docs, which hold no jobs.
    for path in ("/healthz", "/readyz", "/health", "/docs", "/redoc", "/openapi.json", "/"):
        assert client.get(path).status_code != 401, path  # /readyz is 503 here: no workers
    description = " ".join(client.get("/openapi.json").json()["info"]["description"].split())
    assert (
        "every API route except `/healthz`, `/readyz` and `/health`; the web page's files, `/docs`"
        in description
    )


def test_a_401_says_whether_the_key_was_missing_wrong_or_sent_another_way(
    make_client: Callable[..., TestClient],
) -> None:
    # Every one of these read "missing or wrong API key", the same for a typo and a forgotten header.
    client = make_client(api_key="s3cret")
    cases = [
        ({}, "this server needs an API key and none was sent"),
        ({"Authorization": "Bearer nope"}, "the API key sent is not this server's"),
        (
            {"Authorization": "Basic czNjcmV0"},
            "the Authorization header holds scheme 'Basic', not `Bearer <key>`",
        ),
        ({"Authorization": "s3cret"}, "the Authorization header holds a bare key, not `Bearer <key>`"),
        ({"X-API-Key": "s3cret"}, "no API key in the Authorization header (an X-API-Key or api-key header"),
    ]
    for headers, said in cases:
        error = client.get("/v1/videos", headers=headers).json()["error"]
        assert error["message"].startswith(said), (headers, error["message"])
        assert error["message"].endswith(
            "send `Authorization: Bearer <key>` with the key the server was started with (REELGEN_API_KEY)"
        )
        assert error["code"] == "invalid_api_key" and "s3cret" not in error["message"]


def test_a_list_where_an_object_belongs_is_named_without_pydantic_words(client: TestClient) -> None:
    cases = [
        ("/v1/batches", [1, 2], None, "the request body must be an object of named fields, not a list"),
        (
            "/v1/shootouts",
            {"models": ["ltx-tiny"], "prompts": ["a fox"]},
            "prompts",
            "prompts must be an object",
        ),
        ("/v1/videos", {"prompt": "a fox", "loras": ["style"]}, "loras[0]", "not a string"),
    ]
    for route, body, param, phrase in cases:
        resp = client.post(route, json=body)
        assert resp.status_code == 400, (route, resp.text)
        error = resp.json()["error"]
        assert error["param"] == param and phrase in error["message"], error
        assert "extract fields" not in error["message"] and "instance of" not in error["message"]


def test_a_body_that_is_not_json_is_said_as_such_on_every_json_route(client: TestClient) -> None:
    # curl -d sends application/x-www-form-urlencoded unless told otherwise; FastAPI's words were
    # "not something else", "None is required" and "[12]: JSON decode error" (param "[12]").
    body = b'{"models": ["ltx-tiny"], "prompts": {"prompts": ["a fox"]}}'
    for route in ("/v1/batches", "/v1/shootouts"):
        for content_type in ("application/x-www-form-urlencoded", "text/plain"):
            resp = client.post(route, content=body, headers={"content-type": content_type})
            assert resp.status_code == 415, (route, content_type, resp.text)
            error = resp.json()["error"]
            assert f"content type '{content_type}' is not accepted" in error["message"], error
            assert "application/json" in error["message"] and error["code"] == "unsupported_media_type"
        broken = client.post(route, content=b'{"models": ', headers={"content-type": "application/json"})
        assert broken.status_code == 400 and broken.json()["error"]["param"] is None, broken.text
        assert broken.json()["error"]["message"].startswith("request body is not valid JSON"), broken.text
        empty = client.post(route, headers={"content-type": "application/json"})
        assert empty.status_code == 400, empty.text
        assert empty.json()["error"]["message"] == "request body is empty; send a JSON object"


def test_json_sent_as_a_form_is_said_as_such_not_prompt_is_required(client: TestClient) -> None:
    body = b'{"prompt": "a fox", "model": "wan-tiny"}'
    resp = client.post(
        "/v1/videos", content=body, headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert resp.status_code == 415, resp.text
    assert "Content-Type: application/json" in resp.json()["error"]["message"]
    assert client.get("/v1/videos").json()["data"] == []
    form = client.post(
        "/v1/videos", data={"prompt": "{a fox in braces}", "model": "wan-tiny", "num_frames": "9"}
    )
    assert form.status_code == 202, form.text  # a real form whose values start with a brace still works


@pytest.mark.parametrize("field", ["prompt", "negative_prompt"])
def test_a_prompt_past_the_servers_limit_is_refused_naming_which(
    client: TestClient, data_dir: Path, field: str
) -> None:
    before = files_under(data_dir)
    body = {"prompt": "a fox", "model": "wan-t2v-tiny", field: "x" * 4001}
    resp = client.post("/v1/videos", json=body)
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == field
    assert error["message"] == f"{field}: it has 4,001 characters, and at most 4,000 are taken; shorten it"
    assert_nothing_written(client, data_dir, before)
