"""Edge guards: private-address blocking, image probing, bind rule, body cap, id checks."""

from __future__ import annotations

import io
import struct
import threading
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image

from reelgen.api import security
from reelgen.api.errors import ApiError
from reelgen.api.security import (
    FetchPolicy,
    check_bind,
    fetch_url,
    is_blocked_address,
    probe_image,
    probe_video,
    valid_id,
)
from reelgen.api.settings import ApiSettings


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.1",
        "10.255.255.255",
        "172.16.0.1",
        "172.31.255.254",
        "192.168.1.10",
        "127.0.0.1",
        "127.9.9.9",
        "169.254.169.254",
        "0.0.0.0",
        "100.64.0.1",
        "224.0.0.1",
        "::1",
        "::",
        "fe80::1",
        "fe80::1%eth0",
        "fc00::1",
        "fd12:3456::1",
        "fec0::1",
        "ff02::1",
        "::ffff:10.0.0.1",
        "::ffff:127.0.0.1",
        "2002:a00:1::",
        "2002:7f00:1::",
    ],
)
def test_private_loopback_and_link_local_addresses_are_blocked(address: str) -> None:
    assert is_blocked_address(address)


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "1.1.1.1", "172.32.0.1", "192.169.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"]
)
def test_public_addresses_are_allowed(address: str) -> None:
    assert not is_blocked_address(address)


def test_url_to_loopback_is_refused_without_connecting() -> None:
    policy = FetchPolicy(timeout_s=1.0, max_bytes=1000, allow_http=True)
    for url in ("http://127.0.0.1:9/x.png", "https://localhost/x.png", "http://[::1]/x.png"):
        with pytest.raises(ApiError) as info:
            fetch_url(url, policy)
        assert info.value.status == 400
        assert info.value.code == "blocked_url"


def test_plain_http_and_other_schemes_are_refused_by_default() -> None:
    policy = FetchPolicy(timeout_s=1.0, max_bytes=1000)
    for url in ("http://127.0.0.1/x.png", "file:///etc/passwd", "ftp://127.0.0.1/x"):
        with pytest.raises(ApiError, match="only https"):
            fetch_url(url, policy)


def _png(width: int, height: int) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


def _bomb(width: int, height: int) -> bytes:
    """A small PNG whose header claims width x height: what a decompression bomb looks like."""
    raw = _png(8, 8)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    patched = struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return raw[:8] + patched + raw[8 + 25 :]


def test_data_url_image_is_decoded() -> None:
    import base64

    url = "data:image/png;base64," + base64.b64encode(_png(4, 4)).decode()
    assert fetch_url(url, FetchPolicy(timeout_s=1.0, max_bytes=10_000)) == _png(4, 4)


def test_image_probe_accepts_png_and_reports_size() -> None:
    probed = probe_image(_png(40, 24), max_pixels=10_000)
    assert (probed.width, probed.height, probed.suffix) == (40, 24, ".png")


@pytest.mark.parametrize("side", [10_000, 50_000])
def test_decompression_bomb_is_refused_from_its_header(side: int) -> None:
    with pytest.raises(ApiError) as info:
        probe_image(_bomb(side, side), max_pixels=40_000_000)
    assert info.value.status == 400
    assert info.value.code == "image_too_large"
    assert "limit is 40000000 pixels" in info.value.message


@pytest.mark.parametrize("fmt", ["PCX", "ICO"])
def test_an_image_in_a_format_not_taken_is_named_by_its_format(fmt: str) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, format=fmt)
    with pytest.raises(ApiError) as info:
        probe_image(buf.getvalue(), max_pixels=10_000, param="image")
    # It was "not a readable image", as if the file were broken.
    article = "an" if fmt == "ICO" else "a"
    assert info.value.message == (
        f"image: {article} {fmt} image is not taken here; valid formats: JPEG, PNG, WEBP, BMP, GIF, TIFF"
    )


def test_unreadable_uploads_are_explained_without_python_internals() -> None:
    with pytest.raises(ApiError) as image:
        probe_image(b"a shot list, not a picture" * 20, max_pixels=10_000, param="input_reference")
    assert (
        image.value.message
        == "input_reference: not a readable image; valid formats: JPEG, PNG, WEBP, BMP, GIF, TIFF"
    )
    with pytest.raises(ApiError) as video:
        probe_video(b"a shot list, not a video" * 20, max_seconds=60, max_side=4096, param="file")
    said = video.value.message
    assert said.startswith("file: not a readable video (") and said.endswith("valid: MP4/MOV, WebM/MKV")
    assert "<none>" not in said and "Errno" not in said


def test_a_picture_sent_as_a_video_is_called_a_picture() -> None:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, format="PNG")
    with pytest.raises(ApiError) as info:
        probe_video(buf.getvalue(), max_seconds=60, max_side=4096, param="file")
    assert info.value.message == "file: a PNG image is not a video this takes; valid: MP4/MOV, WebM/MKV"


def test_unknown_image_formats_are_refused() -> None:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, format="PCX")
    with pytest.raises(ApiError, match="JPEG, PNG, WEBP"):
        probe_image(buf.getvalue(), max_pixels=10_000)
    with pytest.raises(ApiError, match="not a readable image"):
        probe_image(b"<svg xmlns='http://www.w3.org/2000/svg'/>", max_pixels=10_000)


def test_binding_beyond_loopback_needs_a_key() -> None:
    check_bind("127.0.0.1", None)
    check_bind("::1", None)
    check_bind("0.0.0.0", "secret")
    with pytest.raises(ValueError, match="REELGEN_API_KEY"):
        check_bind("0.0.0.0", None)
    with pytest.raises(ValueError, match="REELGEN_API_KEY"):
        check_bind("192.168.1.5", "")


@pytest.mark.parametrize("value", ["../../etc/passwd", "video_..", "a/b", "", "x" * 101, "video%2f"])
def test_ids_with_path_characters_are_not_ids(value: str) -> None:
    assert not valid_id(value)


@pytest.fixture
def image_server() -> Iterator[str]:
    """A loopback HTTP server: /fox.png (an image), /moved (a redirect), /big (too many bytes)."""
    body = _png(4, 4)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            if self.path == "/moved":
                self.send_response(302)
                self.send_header("Location", "http://169.254.169.254/latest/meta-data")
                self.end_headers()
                return
            payload = body if self.path == "/fox.png" else b"\0" * 5000
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("X-Host-Seen", self.headers.get("Host", ""))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://images.example:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_fetcher_connects_to_the_checked_address_and_refuses_redirects(
    image_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pretend images.example resolved to a public address that happens to be this loopback server,
    # so the real connection path runs without leaving the machine.
    monkeypatch.setattr(security, "_resolve_public", lambda host, port, param: "127.0.0.1")
    policy = FetchPolicy(timeout_s=5.0, max_bytes=1000, allow_http=True)
    assert fetch_url(f"{image_server}/fox.png", policy) == _png(4, 4)
    with pytest.raises(ApiError, match="HTTP 302"):
        fetch_url(f"{image_server}/moved", policy)
    with pytest.raises(
        ApiError, match=r"larger than 1,000 bytes, the most this server fetches \(REELGEN_FETCH_MAX_BYTES\)"
    ):
        fetch_url(f"{image_server}/big", policy)


def test_allowing_private_webhooks_allows_them_when_sent_too() -> None:
    """The create checks a webhook URL and the sender checks it again: the two must agree, or a local
    receiver the server allows would pass the create and then never be sent to."""
    assert ApiSettings(allow_private_webhooks=True).jobs.allow_private_webhooks
    assert not ApiSettings(allow_private_webhooks=False).jobs.allow_private_webhooks
