"""A file field whose part names no file (``curl -F 'image=<face.png'``, ``<`` for ``@``) is told to come
as a file part; it was told "form field 'image' is not utf-8 text ... send form text as UTF-8"."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import png

BOUNDARY = "s60cboundary"


def _form(fields: dict[str, str], nameless: tuple[str, bytes]) -> bytes:
    """A multipart body as curl sends ``-F 'name=<file'``: the file's bytes in a part with no filename."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    name, data = nameless
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + data + b"\r\n"
    )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


@pytest.mark.parametrize(
    ("route", "fields", "name", "example"),
    [
        ("/v1/videos", {"prompt": "a fox", "model": "wan-i2v-tiny"}, "input_reference", "start.png"),
        ("/v1/avatars", {"text": "Hello there"}, "image", "start.png"),
        ("/v1/avatars", {"text": "Hello there"}, "video", "clip.mp4"),
        ("/v1/videos/enhance", {"upscale": "2"}, "file", "clip.mp4"),
        ("/api/video/animate", {"prompt": "a fox"}, "image", "start.png"),
    ],
)
def test_a_file_field_sent_as_text_is_told_to_come_as_a_file(
    client: TestClient, route: str, fields: dict[str, str], name: str, example: str
) -> None:
    body = _form(fields, (name, png()))
    resp = client.post(
        route, content=body, headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"}
    )
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == name
    assert error["message"] == (
        f"{name} came as a text part (no filename in its Content-Disposition), and its bytes are not "
        f"utf-8 text (its byte 0 is 0x89); {name} is a file field: send it as a file part with a file "
        f"name (curl -F '{name}=@{example}')"
    )
    assert client.get("/v1/videos").json()["data"] == []


def test_a_text_field_that_is_not_text_is_still_told_to_send_utf8(client: TestClient) -> None:
    body = _form({"model": "wan-tiny"}, ("prompt", "caf\u00e9".encode("latin-1")))
    resp = client.post(
        "/v1/videos", content=body, headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"}
    )
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["message"].startswith(
        "form field 'prompt' is not utf-8 text (its byte 3 is 0xe9)"
    )
