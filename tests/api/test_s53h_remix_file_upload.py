"""A file sent with a remix is said to be kept from the remixed video, with how to start from a new one."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import png


@pytest.mark.parametrize(
    ("sent", "field", "kept"),
    [
        ("input_reference", "input_reference", "start image"),
        ("image", "input_reference", "start image"),
        ("end_image", "end_image", "end image"),
    ],
)
def test_an_image_sent_with_a_remix_is_said_to_be_kept_not_unknown(
    client: TestClient, sent: str, field: str, kept: str
) -> None:
    made = client.post(
        "/v1/videos",
        data={"prompt": "a red fox", "model": "wan-i2v-tiny"},
        files={"input_reference": ("fox.png", png(), "image/png")},
    ).json()
    resp = client.post(
        f"/v1/videos/{made['id']}/remix",
        data={"prompt": "hi"},
        files={sent: ("red.png", png(), "image/png")},
    )
    # It was "file field 'input_reference' is unknown; this route takes no files; if input_reference is a
    # text field, send its text": the image is no text, and the start image a remix keeps went unsaid.
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert (error["param"], error["code"]) == (sent, "invalid_value")
    assert error["message"] == (
        f"a remix takes no files: it keeps the remixed video's {kept} and its other inputs, and takes no "
        "new image; to start from another image, make a new video with POST /v1/videos, sending the image "
        f"as the file field {field} (curl -F prompt=... -F '{field}=@start.png')"
    )
    assert [v["id"] for v in client.get("/v1/videos").json()["data"]] == [made["id"]]


def test_a_text_field_sent_as_a_file_with_a_remix_is_still_told_to_send_its_text(client: TestClient) -> None:
    made = client.post("/v1/videos", json={"prompt": "a red fox", "model": "wan-tiny"}).json()
    resp = client.post(
        f"/v1/videos/{made['id']}/remix", files={"prompt": ("prompt.txt", b"the fox at night", "text/plain")}
    )
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["message"] == (
        "file field 'prompt' is unknown; this route takes no files; if prompt is a text field, send its "
        "text (curl -F 'prompt=<file.txt' reads one in)"
    )
