"""Image URLs and webhook targets: what cannot be fetched or sent to is a 400 naming the field and why."""

from __future__ import annotations

import base64
import socket

import pytest
from fastapi.testclient import TestClient

from reelgen.api import security
from reelgen.api.errors import ApiError
from reelgen.api.security import FetchPolicy, fetch_url


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://images.example/fox\x01.png", "non-printable"),
        ("https://images.example/fox.png?x=\x7f", "non-printable"),
        ("https://images.example/" + "a" * 70_000, "URL too long"),
    ],
)
def test_a_url_httpx_refuses_is_a_400_naming_the_field(
    url: str, reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The name resolved (here: as if to a public address), then httpx.InvalidURL, which is no
    # httpx.HTTPError, escaped as "internal error (InvalidURL)".
    monkeypatch.setattr(security, "_resolve_public", lambda host, port, param: "93.184.216.34")
    with pytest.raises(ApiError) as raised:
        fetch_url(url, FetchPolicy(timeout_s=1.0, max_bytes=1000))
    error = raised.value
    assert error.status == 400 and error.param == "input_reference.image_url"
    assert reason in error.message and "cannot be fetched" in error.message
    assert "position" not in error.message  # counted in the pinned address's URL, not the one sent


def test_a_private_webhook_target_is_refused_naming_the_setting_that_allows_it(client: TestClient) -> None:
    # A person trying webhooks with a receiver on this machine heard "only public addresses are
    # fetched": a webhook is not fetched, and REELGEN_ALLOW_PRIVATE_WEBHOOKS was never named.
    body = {
        "prompt": "a fox",
        "model": "wan-tiny",
        "num_frames": 9,
        "webhook": {"url": "http://localhost:9000/hook"},
    }
    resp = client.post("/v1/videos", json=body)
    assert resp.status_code == 400
    error = resp.json()["error"]
    assert error["param"] == "webhook.url" and error["code"] == "blocked_url"
    assert "REELGEN_ALLOW_PRIVATE_WEBHOOKS=1" in error["message"] and "fetched" not in error["message"]
    assert client.get("/v1/videos").json()["data"] == []


def test_a_plain_http_image_url_names_the_setting_that_allows_it_and_another_scheme_does_not() -> None:
    policy = FetchPolicy(timeout_s=1.0, max_bytes=1000)
    with pytest.raises(ApiError) as raised:
        fetch_url("http://images.example/fox.png", policy)
    assert "REELGEN_FETCH_ALLOW_HTTP=1 allows http" in raised.value.message
    with pytest.raises(ApiError) as raised:
        fetch_url("file:///etc/passwd", policy)
    assert (
        "only https URLs" in raised.value.message and "REELGEN_FETCH_ALLOW_HTTP" not in raised.value.message
    )


def test_a_data_url_with_wrapped_base64_lines_is_read_as_browsers_read_it() -> None:
    # `base64 fox.png` wraps at 76 characters: "data URL is not valid base64" for a correct image.
    data = bytes(range(256)) * 2
    wrapped = base64.encodebytes(data).decode()  # a newline every 76 characters, as base64(1) writes
    assert "\n" in wrapped.strip()
    assert fetch_url(f"data:image/png;base64,{wrapped}", FetchPolicy(timeout_s=1.0, max_bytes=10_000)) == data
    with pytest.raises(ApiError, match="not valid base64"):
        fetch_url("data:image/png;base64,not*base64", FetchPolicy(timeout_s=1.0, max_bytes=10_000))


def test_the_fetch_goes_to_the_address_the_resolver_puts_first(monkeypatch: pytest.MonkeyPatch) -> None:
    # Sorted as text, example.com's IPv6 address came before its IPv4 one, and a server with no IPv6
    # route (most containers) answered "could not fetch" for an image any browser shows.
    v4 = (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 443))
    v6 = (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("2606:2800:220:1:248:1893:25c8:1946", 443, 0, 0))
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: [v4, v6, v4])
    assert security._resolve_public("example.com", 443, "input_reference.image_url") == "93.184.216.34"
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: [v6, v4])
    assert security._resolve_public("example.com", 443, "input_reference.image_url").startswith("2606:")
