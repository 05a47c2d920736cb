"""Form text is read as the UTF-8 it is sent as; bytes that are not UTF-8 are a 400 naming the field."""

from __future__ import annotations

from fastapi.testclient import TestClient

URLENCODED = {"content-type": "application/x-www-form-urlencoded"}


def _multipart(prompt: bytes, charset: str = "") -> tuple[bytes, dict[str, str]]:
    body = (
        b'--XX\r\nContent-Disposition: form-data; name="prompt"\r\n\r\n' + prompt + b"\r\n"
        b'--XX\r\nContent-Disposition: form-data; name="model"\r\n\r\nwan-tiny\r\n--XX--\r\n'
    )
    return body, {"content-type": f"multipart/form-data; boundary=XX{charset}"}


def test_raw_utf8_in_a_url_encoded_form_is_the_text_typed(client: TestClient) -> None:
    # curl -d 'prompt=café ☕' sends the UTF-8 bytes unescaped; they were read as Latin-1 and the
    # job ran the prompt 'cafÃ© â\x98\x95' without a word.
    body = "model=wan-tiny&prompt=café ☕ ok".encode()
    resp = client.post("/v1/videos", content=body, headers=URLENCODED)
    assert resp.status_code == 202, resp.text
    assert resp.json()["prompt"] == "café ☕ ok"
    escaped = client.post(
        "/v1/videos", content=b"model=wan-tiny&prompt=caf%C3%A9+%E2%98%95", headers=URLENCODED
    )
    assert escaped.json()["prompt"] == "café ☕"


def test_bytes_that_are_not_utf8_are_refused_naming_the_field(client: TestClient) -> None:
    # Latin-1 'café' ran as 'café' (multipart, raw) or 'caf\ufffd' (percent-escaped): a guess either way.
    for body, headers in (
        (b"model=wan-tiny&prompt=caf\xe9", URLENCODED),
        (b"model=wan-tiny&prompt=caf%E9", URLENCODED),
        _multipart(b"caf\xe9"),
    ):
        resp = client.post("/v1/videos", content=body, headers=headers)
        assert resp.status_code == 400, resp.text
        error = resp.json()["error"]
        assert error["param"] == "prompt" and error["code"] == "invalid_value"
        assert error["message"] == (
            "form field 'prompt' is not utf-8 text (its byte 3 is 0xe9); "
            "send form text as UTF-8 (curl -F and --data-urlencode do)"
        )
    name = client.post("/v1/videos", content=b"model=wan-tiny&pr%FFompt=x", headers=URLENCODED)
    assert name.status_code == 400
    assert name.json()["error"]["message"].startswith("a form field's name is not utf-8 text")


def test_a_charset_the_client_names_is_used_and_an_unknown_one_refused(client: TestClient) -> None:
    body, headers = _multipart(b"caf\xe9", "; charset=latin-1")
    resp = client.post("/v1/videos", content=body, headers=headers)
    assert resp.status_code == 202, resp.text
    assert resp.json()["prompt"] == "café"
    body, headers = _multipart(b"cafe", "; charset=no-such-code")
    resp = client.post("/v1/videos", content=body, headers=headers)
    assert resp.status_code == 400
    assert resp.json()["error"]["message"] == (
        "the Content-Type's charset 'no-such-code' is not a known text encoding; send the form as UTF-8"
    )
