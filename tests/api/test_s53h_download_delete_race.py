"""A video deleted while its download is answered: the download sent whole, or a 404 before any header."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from reelgen.jobs.service import JobService
from tests.api.test_head import CLIP, completed


def _deleting_at_headers(client: TestClient, video_id: str) -> TestClient:
    """A client of the same app whose video's files are deleted (as retention or a DELETE removes them)
    the moment the answer's headers go out: the window between the route's check and the file's read."""
    service: JobService = client.app.state.service  # type: ignore[attr-defined]
    app: Any = client.app

    async def deleting(scope: Scope, receive: Receive, send: Send) -> None:
        async def hook(message: Message) -> None:
            if message["type"] == "http.response.start":
                service.artifacts.delete(video_id)
            await send(message)

        await app(scope, receive, hook)

    return TestClient(deleting, raise_server_exceptions=False)


@pytest.mark.parametrize(
    ("asked", "status", "body"), [({}, 200, CLIP), ({"Range": "bytes=4-"}, 206, CLIP[4:])]
)
def test_a_delete_after_the_headers_still_sends_the_whole_file(
    client: TestClient, asked: dict[str, str], status: int, body: bytes
) -> None:
    video = completed(client)
    racing = _deleting_at_headers(client, video["id"])
    # The file was opened only after the 200's headers: the delete made the open fail, and the
    # connection dropped mid-answer (a 500 here) with a Content-Length promised and never sent.
    resp = racing.get(f"/v1/videos/{video['id']}/content", headers=asked)
    assert resp.status_code == status, resp.text
    assert resp.content == body
    assert resp.headers["content-length"] == str(len(body))
    gone = client.get(f"/v1/videos/{video['id']}/content")
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "content_removed"
