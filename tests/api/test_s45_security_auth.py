"""A write without the server's key is refused before its body is read, in the words the routes use."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.jobs.settings import JobSettings

TINY = {"prompt": "a fox", "model": "wan-tiny", "num_frames": 9}


def _post_unread(data_dir: Path, headers: list[tuple[bytes, bytes]]) -> tuple[int, int]:
    """POST /v1/batches straight to the app: the status answered and how many body chunks it read."""
    settings = ApiSettings(jobs=JobSettings(data_dir=data_dir), serve_web=False, api_key=SecretStr("s3cret"))
    app = create_app(settings, start_service=False)
    chunks = [b'{"manifest": {"items": [' + b'{"prompt": "x"},' * 1000, b'{"prompt": "x"}]}}']
    read, sent = 0, []

    async def receive() -> dict[str, Any]:
        nonlocal read
        read += 1
        if read <= len(chunks):
            return {"type": "http.request", "body": chunks[read - 1], "more_body": read < len(chunks)}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/batches",
        "raw_path": b"/v1/batches",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1:8000"), (b"content-type", b"application/json"), *headers],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }
    asyncio.run(app(scope, receive, send))
    return sent[0]["status"], read


@pytest.mark.usefixtures("no_running_loop")  # asyncio.run here, as a served app
def test_a_write_without_the_key_is_a_401_before_its_body_is_read(data_dir: Path) -> None:
    # The 401 came after FastAPI (and the duplicate-name check) had taken in and parsed the whole body:
    # a client with no key spent about a second of the server's CPU per 32 MB request.
    assert _post_unread(data_dir, []) == (401, 0)
    assert _post_unread(data_dir, [(b"authorization", b"Bearer wrong")]) == (401, 0)
    status, read = _post_unread(data_dir, [(b"authorization", b"Bearer s3cret")])
    assert status != 401 and read >= 2


@pytest.mark.parametrize(
    ("headers", "said"),
    [
        ({}, "this server needs an API key and none was sent"),
        ({"Authorization": "Bearer wrong"}, "the API key sent is not this server's"),
        ({"Authorization": "Basic czNjcmV0"}, "holds scheme 'Basic'"),
        ({"X-API-Key": "s3cret"}, "an X-API-Key or api-key header is not read"),
    ],
)
def test_the_early_401_says_what_the_routes_say(
    make_client: Callable[..., TestClient], headers: dict[str, str], said: str
) -> None:
    client = make_client(api_key=SecretStr("s3cret"))
    for resp in (
        client.post("/v1/videos", json=TINY, headers=headers),
        client.get("/v1/videos", headers=headers),
    ):
        assert resp.status_code == 401, resp.text
        assert said in resp.json()["error"]["message"]
        assert resp.headers["www-authenticate"] == "Bearer"
    keyed = {"Authorization": "Bearer  s3cret"}  # two spaces: HTTPBearer strips them, so the guard does
    assert client.post("/v1/videos", json=TINY, headers=keyed).status_code == 202
    cross = {**keyed, "Origin": "https://elsewhere.example"}  # a keyed call from another page still passes
    assert client.post("/v1/videos", json=TINY, headers=cross).status_code == 202
