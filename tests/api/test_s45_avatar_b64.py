"""/generate-avatar takes base64 as base64(1) writes it: wrapped at 76 characters a line."""

from __future__ import annotations

import base64
from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.api.test_avatars_api import voice  # noqa: F401  (the fixture)


def test_line_wrapped_base64_is_read(make_client: Callable[..., TestClient], voice: bytes) -> None:  # noqa: F811
    client = make_client(wait_timeout_s=0.01)  # no workers run here: the job queues and the wait gives up
    wrapped = base64.encodebytes(voice).decode()
    assert "\n" in wrapped
    resp = client.post("/generate-avatar", json={"audio": wrapped})
    assert resp.status_code == 504, resp.text  # queued, not "audio: not valid base64"
    assert client.get("/v1/videos").json()["data"][0]["parameters"]["task"] == "avatar"
