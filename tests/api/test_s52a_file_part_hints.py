"""A file part named with another route's field is told where that file goes, not to send it as text."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

CLIP = ("clip.mp4", b"not read: the part's name is refused first", "video/mp4")
UPLOAD_TAKES = "an enhance takes one file, the video, as the file field `file` (curl -F 'file=@clip.mp4')"


def _said(client: TestClient, path: str, name: str, data: dict[str, str]) -> str:
    resp = client.post(path, data=data, files={name: CLIP})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == name
    return str(error["message"])


@pytest.mark.parametrize("name", ["source_video", "video", "input_video", "video_url"])
def test_the_video_under_another_name_on_the_upload_route_is_told_to_use_file(
    client: TestClient, name: str
) -> None:
    said = _said(client, "/v1/videos/enhance", name, {"upscale": "2"})
    assert said == (
        f"file field {name!r} is unknown; valid: file; "
        "send the video to enhance as the file field `file` (curl -F 'file=@clip.mp4')"
    )


@pytest.mark.parametrize("name", ["input_reference", "end_image", "keyframe_images"])
def test_a_creates_image_on_the_upload_route_is_named_as_a_creates(client: TestClient, name: str) -> None:
    said = _said(client, "/v1/videos/enhance", name, {"upscale": "2"})
    assert said == (
        f"file field {name!r} is unknown; valid: file; {name} is an image of a create (POST /v1/videos); "
        + UPLOAD_TAKES
    )


@pytest.mark.parametrize("name", ["image", "audio"])
def test_an_avatars_file_on_the_upload_route_is_named_as_an_avatars(client: TestClient, name: str) -> None:
    said = _said(client, "/v1/videos/enhance", name, {"upscale": "2"})
    assert said == (
        f"file field {name!r} is unknown; valid: file; {name} is a file of a talking avatar "
        "(POST /v1/avatars); " + UPLOAD_TAKES
    )


def test_a_creates_text_field_as_a_file_on_the_upload_route_is_no_field_of_an_enhance(
    client: TestClient,
) -> None:
    said = _said(client, "/v1/videos/enhance", "prompt", {"upscale": "2"})
    assert said == (
        "file field 'prompt' is unknown; valid: file; prompt is not a field of an enhance: "
        "the video is enhanced as it is"
    )


def test_an_enhance_field_sent_as_a_file_is_still_told_to_send_its_text(client: TestClient) -> None:
    said = _said(client, "/v1/videos/enhance", "upscaler", {"upscale": "2"})
    assert said.endswith(
        "if upscaler is a text field, send its text (curl -F 'upscaler=<file.txt' reads one in)"
    )


@pytest.mark.parametrize("name", ["file", "source_video"])
def test_a_video_sent_to_the_stored_video_route_is_told_of_the_upload_route(
    client: TestClient, name: str
) -> None:
    said = _said(client, f"/v1/videos/video_{'0' * 32}/enhance", name, {"upscale": "2"})
    assert said == (
        f"file field {name!r} is unknown; this route takes no files; it enhances a video already on this "
        "server; send a video of yours to POST /v1/videos/enhance as the file field `file`"
    )


@pytest.mark.parametrize("name", ["file", "video"])
def test_a_video_on_the_create_route_is_told_of_source_video(client: TestClient, name: str) -> None:
    said = _said(client, "/v1/videos", name, {"model": "wan-tiny", "prompt": "a fox"})
    assert said.endswith(
        "a video to follow (video-to-video) is sent as the file field `source_video` "
        "(curl -F 'source_video=@clip.mp4'); to enhance a video, send it to POST /v1/videos/enhance as `file`"
    )
    assert "text field" not in said


def test_an_image_on_the_create_route_is_told_of_input_reference(client: TestClient) -> None:
    said = _said(client, "/v1/videos", "image", {"model": "wan-tiny", "prompt": "a fox"})
    assert said.endswith(
        "a start image is sent as the file field `input_reference` (curl -F 'input_reference=@start.png')"
    )
