"""A form's file field sent as text (curl -F name=fox.png, the @ forgotten) is said to want a file."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import png

FORM = {"prompt": "a red fox", "model": "wan-i2v-tiny"}


@pytest.mark.parametrize(
    ("field", "example", "instead"),
    [
        # "input_reference must be an object of named fields, not a string; its fields: image_url"
        ("input_reference", "start.png", ", or its URL as input_reference[image_url]"),
        # "end_image names files on the server ...; upload it as the multipart file field end_image"
        ("end_image", "end.png", ", or its URL as end_reference[image_url]"),
        ("source_video", "clip.mp4", ""),
        # "keyframe_images is not a known field; did you mean keyframes?"
        ("keyframe_images", "key.png", ", or each image's URL as image_url in its keyframes entry"),
    ],
)
def test_a_file_field_sent_as_text_asks_for_a_file(
    client: TestClient, field: str, example: str, instead: str
) -> None:
    resp = client.post("/v1/videos", data={**FORM, field: "fox.png"})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert (error["param"], error["code"]) == (field, "server_side_parameter")
    assert error["message"] == (
        f"{field} came as the text 'fox.png', not a file; send the file itself as the multipart file "
        f"field {field} (curl -F '{field}=@{example}'){instead}"
    )


def test_the_url_forms_and_a_real_file_still_work(client: TestClient) -> None:
    url = "data:image/png;base64,iVBORw0KGgo="  # refused later as an image, not as a field
    as_field = client.post("/v1/videos", data={**FORM, "input_reference[image_url]": url})
    assert as_field.json()["error"]["code"] == "invalid_image", as_field.text  # read as a URL, as before
    upload = client.post("/v1/videos", data=FORM, files={"input_reference": ("fox.png", png(), "image/png")})
    assert upload.status_code == 202, upload.text


def test_animates_image_sent_as_text_asks_for_a_file(client: TestClient) -> None:
    resp = client.post("/api/video/animate", data={**FORM, "image": "fox.png"})
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"] == {
        "message": "image came as the text 'fox.png', not a file; send the file itself as the multipart "
        "file field image (curl -F 'image=@start.png'), or its URL as image_url",
        "type": "invalid_request_error",
        "param": "image",
        "code": "server_side_parameter",
    }


def test_a_start_image_given_as_a_file_and_as_a_url_is_refused(client: TestClient) -> None:
    # The file ran and the URL was dropped without a word; two end images were already refused so.
    url = "data:image/png;base64,iVBORw0KGgo="
    resp = client.post(
        "/v1/videos",
        data={**FORM, "input_reference[image_url]": url},
        files={"input_reference": ("fox.png", png(), "image/png")},
    )
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "input_reference"
    assert error["message"] == (
        "input_reference: give the start image once, as the file input_reference or as "
        "input_reference[image_url]"
    )
    assert client.get("/v1/videos").json()["data"] == []
