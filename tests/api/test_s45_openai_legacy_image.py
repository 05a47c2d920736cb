"""/api/video/animate takes one start image: two given is a 400, not one of them run without a word."""

from __future__ import annotations

import base64

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import png

FORM = {"prompt": "a fox", "model": "wan-i2v-tiny"}
URL = "data:image/png;base64," + base64.b64encode(png(colour=(0, 0, 255))).decode()


@pytest.mark.parametrize(
    ("fields", "files", "both"),
    [
        (
            {},
            [("image", ("a.png", png(), "image/png")), ("input_reference", ("b.png", png(), "image/png"))],
            "one file, not two",  # two files, not a file and a URL
        ),
        (
            {"image_url": URL},
            [("image", ("a.png", png(), "image/png"))],
            "an `image` file or `image_url`, not both",
        ),
        (
            {"image_url": URL},
            [("input_reference", ("a.png", png(), "image/png"))],
            "an `image` file or `image_url`, not both",
        ),
    ],
)
def test_two_start_images_are_refused_naming_both(
    client: TestClient, fields: dict, files: list, both: str
) -> None:
    resp = client.post("/api/video/animate", data={**FORM, **fields}, files=files)
    # The image file ran and the other image was dropped unsaid.
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "image"
    assert error["message"] == f"give the start image once: {both}"
    assert client.get("/v1/videos").json()["data"] == []


def test_one_start_image_is_queued(client: TestClient) -> None:
    for fields, files in (
        ({"image_url": URL}, None),
        ({}, {"input_reference": ("a.png", png(), "image/png")}),
    ):
        resp = client.post("/api/video/animate", data={**FORM, **fields}, files=files)
        assert resp.status_code == 202, resp.text
