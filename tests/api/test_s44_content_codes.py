"""Every status the content download answers is one /openapi.json documents for it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.openapi_once import openapi_of
from tests.api.test_head import completed


def test_each_status_a_download_answers_is_documented(client: TestClient) -> None:
    # A revalidating client (a browser's gallery) got 304s the schema never listed.
    video = completed(client)
    url = f"/v1/videos/{video['id']}/content"
    etag = client.get(url).headers["etag"]
    answered = {
        client.get(url).status_code,
        client.get(url, headers={"Range": "bytes=0-9"}).status_code,
        client.get(url, headers={"If-None-Match": etag}).status_code,
        client.get(url, headers={"Range": "bytes=999999-"}).status_code,
    }
    assert answered == {200, 206, 304, 416}
    documented = openapi_of(client)["paths"]["/v1/videos/{video_id}/content"]["get"]["responses"]
    assert {str(code) for code in answered} <= set(documented)
