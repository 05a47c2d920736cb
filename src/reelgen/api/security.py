"""Guards at the API's edge: API key, bind address, body and pixel caps, media probes, a safe URL fetcher."""

from __future__ import annotations

import base64
import binascii
import io
import ipaddress
import re
import secrets
import socket
import time
import urllib.parse
import warnings
from dataclasses import dataclass
from pathlib import Path

import httpx
from fastapi import Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from PIL import Image

from reelgen.api.body_limit import size_words
from reelgen.api.errors import ApiError
from reelgen.api.keylog import key_param
from reelgen.api.video_probe import VIDEO_CONTAINERS as VIDEO_CONTAINERS
from reelgen.api.video_probe import container_kind as container_kind
from reelgen.api.video_probe import probe_video as probe_video  # the routes import the probes from here
from reelgen.core.net import is_blocked_address

# ---- API key and bind address ---------------------------------------------------------------

bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer <REELGEN_API_KEY>`")


#: An IPv4 address as the socket also reads it: ``127.1``, ``0x7f.1`` or ``2130706433`` (inet_aton's forms).
_IPV4_SPELLED = re.compile(r"(?:0x[0-9a-f]+|[0-9]+)(?:\.(?:0x[0-9a-f]+|[0-9]+)){0,3}", re.IGNORECASE)


def is_loopback_host(host: str) -> bool:
    """True for names and addresses that only this machine can reach."""
    name = host.strip().strip("[]").rstrip(".").lower()
    if name in ("localhost", "localhost.localdomain"):
        return True
    try:
        address: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(name)
    except ValueError:
        if not _IPV4_SPELLED.fullmatch(name):
            return False
        try:  # "--host 127.1" binds 127.0.0.1, yet was said to expose the server beyond this machine
            address = ipaddress.IPv4Address(socket.inet_aton(name))
        except OSError:
            return False
    mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    return address.is_loopback or (mapped is not None and mapped.is_loopback)


def check_bind(host: str, api_key: str | None) -> None:
    """Refuse to listen beyond loopback without an API key (anyone on the network could run jobs)."""
    if not is_loopback_host(host) and not api_key:
        raise ValueError(
            f"binding {host} exposes the server beyond this machine; set REELGEN_API_KEY "
            "(or --api-key) first, or bind 127.0.0.1"
        )


#: Fewer characters than this and a key can be guessed: "secret" is one of the first words tried.
SHORTEST_KEY = 16


def short_key(host: str, api_key: str | None) -> str | None:
    """A warning for a key short enough to guess on a server others can reach, or None.

    Said, not refused: a short key on a private network may be what its owner chose, but nothing
    said so, and a request with a wrong key costs a guesser nothing but the 401."""
    if not api_key or is_loopback_host(host) or len(api_key) >= SHORTEST_KEY:
        return None
    return (
        f"the API key is {len(api_key)} characters long, short enough for anyone who can reach "
        f"{host} to guess; use a long random one, such as `openssl rand -hex 24` prints"
    )


def require_key(request: Request, credentials: HTTPAuthorizationCredentials | None) -> None:
    """Checks the bearer key when the server has one; constant-time comparison."""
    expected: str | None = request.app.state.settings.key()
    if expected is None:
        return
    given = credentials.credentials if credentials else ""
    if not secrets.compare_digest(given.encode(), expected.encode()):
        raise ApiError(401, key_problem(request, given), headers={"WWW-Authenticate": "Bearer"})


def key_problem(request: Request, given: str) -> str:
    """Which of the ways to send no right key this request took: OpenAI's API says whether a key
    was missing or wrong, and a key sent another way (Basic, X-API-Key) was said to be missing."""
    how = "send `Authorization: Bearer <key>` with the key the server was started with (REELGEN_API_KEY)"
    if given:
        return f"the API key sent is not this server's; {how}"
    header = request.headers.get("authorization", "").strip()
    if header.lower() == "bearer":
        # `Authorization: Bearer $REELGEN_API_KEY` with the variable unset: it was called "a bare key".
        return f"the Authorization header says Bearer but holds no key (is the variable holding it unset?); {how}"
    if header:
        scheme = header.split(maxsplit=1)[0]
        shown = "a bare key" if " " not in header else f"scheme {scheme!r}"
        return f"the Authorization header holds {shown}, not `Bearer <key>`; {how}"
    in_url = key_param(request.url.query)
    if in_url:  # a URL is logged and kept in browser history: a key is not read from one
        return f"no API key in the Authorization header (a key in the URL's ?{in_url}= is not read); {how}"
    if "x-api-key" in request.headers or "api-key" in request.headers:
        return f"no API key in the Authorization header (an X-API-Key or api-key header is not read); {how}"
    return f"this server needs an API key and none was sent; {how}"


# ---- media probes ----------------------------------------------------------------------------

# MPO: how Pillow names a JPEG holding several pictures (phones' HDR and depth photos); its first is read.
# BMP, GIF and TIFF too, as a local run takes them (core.media.IMAGE_FORMATS): `--image face.tiff
# --server` was refused. Listed most common first, which is the order the refusals name them in.
IMAGE_FORMATS = {
    "JPEG": ".jpg",
    "PNG": ".png",
    "WEBP": ".webp",
    "BMP": ".bmp",
    "GIF": ".gif",
    "TIFF": ".tif",
    "MPO": ".jpg",
}
#: The openers Pillow is asked to try (its JPEG one opens MPO; it has no MPO opener of its own to name).
_OPENERS = [name for name in IMAGE_FORMATS if name != "MPO"]


@dataclass(frozen=True)
class ProbedImage:
    data: bytes
    suffix: str
    width: int
    height: int


def read_image_header(data: bytes, max_pixels: int, param: str = "input_reference") -> ProbedImage:
    """Accept JPEG, PNG, WebP, BMP, GIF or TIFF whose header fits ``max_pixels``; no pixel is decoded here.

    The size comes from the header, so a small file that claims a huge canvas
    (a decompression bomb) costs nothing; ``decode_image`` then checks the data.
    """
    valid = ", ".join(_OPENERS)  # an MPO is a JPEG, to a person
    try:
        with warnings.catch_warnings():
            # Pillow warns between its two limits; our own lower cap decides instead.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data), formats=_OPENERS)
        with img:
            width, height, fmt = img.size[0], img.size[1], img.format or ""
    except Image.DecompressionBombError:
        raise _too_large(
            param, max_pixels, "image header claims more pixels than can be decoded safely"
        ) from None
    except (OSError, SyntaxError, ValueError):  # Pillow's text names our BytesIO object, not the upload
        other = _other_format(data)
        # A GIF, BMP or TIFF was "not a readable image", as if the file were broken.
        article = "an" if other and other[0] in "AEFHILMNORSX" else "a"  # said letter by letter: an ICO
        said = f"{article} {other} image is not taken here" if other else "not a readable image"
        raise ApiError(
            400, f"{param}: {said}; valid formats: {valid}", param=param, code="invalid_image"
        ) from None
    if width * height > max_pixels:
        raise _too_large(param, max_pixels, f"image is {width}x{height} ({width * height} pixels)")
    return ProbedImage(data, IMAGE_FORMATS[fmt], width, height)


def _other_format(data: bytes) -> str | None:
    """The format Pillow reads ``data`` as among all it knows (from the header only), or None."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as img:
                return img.format if img.format and img.format not in IMAGE_FORMATS else None
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None


def decode_image(data: bytes, param: str = "input_reference") -> None:
    """Decode the image once, so a file whose header is fine but whose data is broken is a 400.

    Run it after ``read_image_header`` (which bounds the pixels) and under the
    app's decode limiter. A JPEG is decoded at an eighth of its size, which
    reads every block of it for a sixty-fourth of the memory.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data), formats=_OPENERS)
        with img:
            if img.format in ("JPEG", "MPO"):
                img.draft("RGB", (max(1, img.size[0] // 8), max(1, img.size[1] // 8)))
            img.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ApiError(
            400, f"{param}: the image data is broken ({exc})", param=param, code="invalid_image"
        ) from None


def probe_image(data: bytes, max_pixels: int, param: str = "input_reference") -> ProbedImage:
    """``read_image_header`` then ``decode_image``: the whole check, in one call."""
    probed = read_image_header(data, max_pixels, param)
    decode_image(data, param)
    return probed


def _too_large(param: str, max_pixels: int, what: str) -> ApiError:
    return ApiError(
        400, f"{param}: {what}; the limit is {max_pixels} pixels", param=param, code="image_too_large"
    )


# ---- server-made ids and paths ---------------------------------------------------------------

_ID = re.compile(r"^[A-Za-z0-9_-]{1,100}$")


def valid_id(value: str) -> bool:
    """Ids are server-made tokens; anything with dots, slashes or odd characters is not one."""
    return bool(_ID.fullmatch(value))


def inside(root: Path, path: Path) -> Path:
    """``path`` resolved, refused unless it lies under ``root`` (a second guard after id checks)."""
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise ApiError(404, "no such file")
    return resolved


# ---- URL fetcher -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FetchPolicy:
    timeout_s: float
    max_bytes: int
    allow_http: bool = False


def _fetched_too_large(param: str, max_bytes: int) -> str:
    # It said "larger than 16777216 bytes", naming no setting: said as the body cap's 413 is.
    return f"{param}: image is larger than {size_words(max_bytes)}, the most this server fetches (REELGEN_FETCH_MAX_BYTES)"


def decode_data_url(url: str, max_bytes: int, param: str) -> bytes:
    """The bytes of a ``data:image/...;base64,`` URL."""
    header, _, payload = url.partition(",")
    if not header.startswith("data:image/") or not header.endswith(";base64"):
        raise ApiError(400, f"{param}: data URLs must be data:image/<type>;base64,...", param=param)
    if len(payload) * 3 // 4 > max_bytes:
        raise ApiError(400, _fetched_too_large(param, max_bytes), param=param)
    try:
        return base64.b64decode("".join(payload.split()), validate=True)  # wrapped lines, as base64(1) writes
    except (binascii.Error, ValueError):
        raise ApiError(400, f"{param}: data URL is not valid base64", param=param) from None


def _resolve_public(host: str, port: int, param: str, said: str = "only public addresses are fetched") -> str:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ApiError(400, f"{param}: cannot resolve {host} ({exc})", param=param) from None
    # In the resolver's order (RFC 6724, which knows this machine's routes): sorted as text, an IPv6
    # address came first for example.com and an IPv4-only server could not reach it.
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    blocked = [a for a in addresses if is_blocked_address(a)]
    if blocked or not addresses:
        where = f"{host} resolves to a private, loopback or link-local address ({', '.join(blocked)})"
        raise ApiError(400, f"{param}: {where}; {said}", param=param, code="blocked_url")
    return addresses[0]


#: A webhook is sent, not fetched; one to a local receiver heard "only public addresses are fetched".
WEBHOOK_TARGETS = "webhooks go to public addresses only; REELGEN_ALLOW_PRIVATE_WEBHOOKS=1 allows others"


def check_public_url(url: str, param: str) -> None:
    """Refuse an http(s) URL whose host resolves to a non-public address (for webhook targets)."""
    parts, port = _split(url, param)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ApiError(400, f"{param}: must be an http(s) URL", param=param)
    _resolve_public(parts.hostname, port or (443 if parts.scheme == "https" else 80), param, WEBHOOK_TARGETS)


def _split(url: str, param: str) -> tuple[urllib.parse.SplitResult, int | None]:
    """The URL's parts and port; urllib reads a bad port or bracket only when asked, with a
    ValueError that reached the client as a 500 (``https://example.com:99999/``, ``https://[x]/``)."""
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise ApiError(
            400,
            f"{param}: {url[:200]!r} is not a valid URL ({exc}); give one like https://example.com/a.png",
            param=param,
        ) from None
    if port == 0:  # read as "no port", it would go to 443 instead
        raise ApiError(400, f"{param}: port 0 is not a port; give one from 1 to 65535, or none", param=param)
    return parts, port


def fetch_url(url: str, policy: FetchPolicy, param: str = "input_reference.image_url") -> bytes:
    """GET a public image URL: resolve once, refuse private targets, pin the address, cap size and time.

    Pinning the checked address (Host header and TLS SNI keep the name)
    stops DNS rebinding between the check and the connection; redirects are
    refused because each hop would need the same check.
    """
    if url.startswith("data:"):
        return decode_data_url(url, policy.max_bytes, param)
    parts, given_port = _split(url, param)
    schemes = ("https", "http") if policy.allow_http else ("https",)
    if parts.scheme not in schemes or not parts.hostname:
        allows = "; REELGEN_FETCH_ALLOW_HTTP=1 allows http" if parts.scheme == "http" else ""  # else unsaid
        only = f"only {' or '.join(schemes)} URLs (or data: URLs) are fetched{allows}"
        raise ApiError(400, f"{param}: {only}", param=param)
    if parts.username or parts.password:
        raise ApiError(400, f"{param}: URLs with credentials are not fetched", param=param)
    port = given_port or (443 if parts.scheme == "https" else 80)
    pinned = _resolve_public(parts.hostname, port, param)
    netloc = f"[{pinned}]:{port}" if ":" in pinned else f"{pinned}:{port}"
    target = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    headers = {"Host": parts.netloc.rsplit("@", 1)[-1], "Accept": "image/*"}
    try:
        with (
            # trust_env=False: a proxy from the environment would bypass the pinned address.
            httpx.Client(timeout=policy.timeout_s, follow_redirects=False, trust_env=False) as client,
            client.stream(
                "GET", target, headers=headers, extensions={"sni_hostname": parts.hostname}
            ) as resp,
        ):
            if resp.status_code != 200:
                raise ApiError(400, f"{param}: {url} answered HTTP {resp.status_code}", param=param)
            body = bytearray()
            # httpx's timeout bounds each read, not the whole body: a server dripping a byte a second
            # held a request (and a worker thread) for as long as it liked.
            deadline = time.monotonic() + policy.timeout_s
            for chunk in resp.iter_bytes():
                body += chunk
                if time.monotonic() > deadline:
                    raise ApiError(
                        400,
                        f"{param}: {url} sent {len(body)} bytes in {policy.timeout_s:g} s and was given up "
                        "(REELGEN_FETCH_TIMEOUT_S)",
                        param=param,
                    )
                if len(body) > policy.max_bytes:
                    raise ApiError(400, _fetched_too_large(param, policy.max_bytes), param=param)
            return bytes(body)
    except httpx.InvalidURL as exc:  # a control character, or past httpx's length: it was a 500
        reason = str(exc).split(",")[0]  # without the position, which counts in the pinned URL
        raise ApiError(400, f"{param}: {url[:200]!r} cannot be fetched ({reason})", param=param) from None
    except httpx.HTTPError as exc:
        raise ApiError(400, f"{param}: could not fetch {url} ({type(exc).__name__})", param=param) from None
