"""The API's edge against other web pages: Host checks, cross-origin writes refused, security headers.

A server on loopback with no API key trusts whoever can reach it, and a
browser can reach it for any web page the person has open. Two things stop
such a page:

- **DNS rebinding**: a page on ``evil.example`` whose name later resolves to
  127.0.0.1 talks to this server as its own origin. Every request's ``Host``
  must name this server (its bind address, ``localhost``, a loopback address,
  or a name in ``REELGEN_ALLOWED_HOSTS``), so such requests get a 400. A name
  listed alone is taken on any port (the name is what a rebinding page cannot
  fake; a proxy in front may add or drop the port); one listed as
  ``name:port`` only with that port.
- **Cross-site writes**: a form on another origin can POST here (urlencoded or
  multipart need no CORS preflight). A state-changing request whose
  ``Origin`` (or, lacking that, ``Referer``, or ``Sec-Fetch-Site``) is another
  origin is refused with a 403 unless it carries this server's API key (which
  a browser never adds to a cross-site form) or its origin is listed in
  ``REELGEN_ALLOWED_ORIGINS``. Clients that are no browser send no ``Origin``.

CORS is off except for the origins listed in ``REELGEN_ALLOWED_ORIGINS``: their
pages get answers to preflights and may read answers (Starlette's CORS
middleware), so a web app served from one can call the API with ``fetch``.

On a server with an API key, a write without it is the routes' 401, answered here before its body is read;
one without a key answers only requests that came in on a loopback address (a 403 ``no_api_key`` else).
A URL holding a NUL character, or naming one query parameter twice, is a 400 here too, and a compressed request body
(``Content-Encoding: gzip``), which nothing here decodes, a 415. Every response carries
``X-Content-Type-Options: nosniff``,
``Referrer-Policy: no-referrer``, ``X-Frame-Options: DENY`` and a
Content-Security-Policy that allows only this origin's own files (no page may
frame this one).
"""

from __future__ import annotations

import ipaddress
import secrets
import urllib.parse
from typing import Any

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reelgen.api.errors import error_response
from reelgen.api.security import key_problem
from reelgen.api.settings import ApiSettings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: The page and the docs load only this origin's files; Swagger UI and Redoc set inline styles
#: and Redoc runs a worker from a blob, previews are data: images and clips may be blobs.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "content-security-policy": CONTENT_SECURITY_POLICY,
}
_RAW_HEADERS = [(name.encode(), value.encode()) for name, value in SECURITY_HEADERS.items()]
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "127.0.0.1", "::1"})
_WILDCARDS = frozenset({"", "0.0.0.0", "::"})
#: Answer headers a listed origin's page may read beyond the ones every page may.
EXPOSED_HEADERS = [
    "Location",
    "Retry-After",
    "Idempotent-Replayed",
    "openai-poll-after-ms",
    "x-should-retry",
    "Content-Range",
    "Accept-Ranges",
    "Content-Disposition",
]


def host_name(value: str) -> str:
    """The host of a ``Host`` header or URL authority, lower case, without port or brackets."""
    return host_and_port(value)[0]


def host_and_port(value: str) -> tuple[str, int | None]:
    """The host of a ``Host`` header or URL authority (lower case, no brackets) and its port, if it
    gives one as digits (else None: ``name:`` or ``name:x`` names no port)."""
    value = value.strip().lower()
    if value.startswith("["):
        name, _, rest = value[1:].partition("]")
        port = rest.removeprefix(":")
    elif value.count(":") == 1:
        name, _, port = value.partition(":")
    else:  # a name alone, or an IPv6 address written without brackets (and so without a port)
        name, port = value, ""
    return name.rstrip("."), int(port) if port.isdigit() else None


def _is_loopback(name: str) -> bool:
    if name in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _as_browsers_send(origin: str) -> str:
    """A listed origin as a browser's ``Origin`` header gives it: lower case, no slash, no default port
    (``https://app.example:443`` was listed and never matched, as browsers leave the 443 out)."""
    origin = origin.strip().rstrip("/").lower()
    default = ":443" if origin.startswith("https://") else ":80"
    return origin.removesuffix(default)


def _origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of ``url``, or None for one that names none (``null``, ``http://[x``)."""
    try:  # urllib raises on a bracket it cannot read: an Origin of "http://[x" was a 500
        parts = urllib.parse.urlsplit(url.strip())
    except ValueError:
        return None
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


class EdgeGuard:
    """ASGI middleware doing all three; see the module docstring."""

    def __init__(self, app: ASGIApp, settings: ApiSettings) -> None:
        self.app = app
        self.key = settings.key()
        bind = host_name(settings.host)
        self.any_host = bind in _WILDCARDS and not settings.allowed_hosts
        listed = [host_and_port(h) for h in settings.allowed_hosts]
        #: Names taken on any port; (name, port) pairs listed as ``name:port``, taken on that port only.
        self.hosts = {bind, *(name for name, port in listed if port is None)} - {""}
        self.host_ports = {(name, port) for name, port in listed if port is not None}
        self.origins = {_as_browsers_send(o) for o in settings.allowed_origins}
        # Only requests from a listed origin go through it: every other preflight is answered as
        # before (no CORS headers, so the browser keeps the page out).
        self.cors_options: dict[str, Any] = {
            "allow_origins": sorted(self.origins),
            "allow_methods": ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
            "allow_headers": ["*"],
            "expose_headers": EXPOSED_HEADERS,
            "max_age": 600,
        }
        self.cors = CORSMiddleware(app, **self.cors_options)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in _RAW_HEADERS if n not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        # A refusal goes out as any answer does: a NUL or a repeated query name came back without the
        # security headers, and a listed origin's page could not read why it was refused (no CORS).
        refusal = self._refusal(scope, headers)
        listed = (headers.get("origin") or "").rstrip("/").lower() in self.origins
        answer: ASGIApp
        if refusal is None:
            answer = self.cors if listed else self.app
        else:
            answer = CORSMiddleware(refusal, **self.cors_options) if listed else refusal
        await answer(scope, receive, with_headers)

    def _refusal(self, scope: Scope, headers: Headers) -> ASGIApp | None:
        beyond = None if self.key is not None else _beyond_loopback(scope)
        if beyond is not None:
            # reelgen serve refuses such a bind, but uvicorn or gunicorn started on the app directly
            # did not: a client anywhere could use it by sending "Host: 127.0.0.1".
            return error_response(
                403,
                f"this server has no API key, so it answers on this machine only, and this request came "
                f"in on {beyond}; start it with REELGEN_API_KEY set to take requests from the network",
                code="no_api_key",
            )
        if "\x00" in scope["path"] or b"%00" in scope.get("query_string", b""):
            # No id or filter holds one, and PostgreSQL cannot even compare against one.
            return error_response(400, "the URL holds a NUL character (%00)", code="invalid_value")
        twice = _query_name_twice(scope.get("query_string", b""))
        if twice is not None:
            # Every query parameter here takes one value, and FastAPI kept the last without a word:
            # ?limit=1&limit=50 listed 50, ?status=failed&status=cancelled only the cancelled.
            return error_response(
                400,
                f"query parameter {twice!r} is given more than once; give it once (each takes one value)",
                param=twice,
                code="invalid_value",
            )
        coding = headers.get("content-encoding", "").strip().lower()
        if coding not in ("", "identity") and _has_body(headers):
            # Nothing here decodes a compressed body: it was read as it came, "not valid JSON ('utf-8'
            # codec can't decode byte 0x8b ...)" or "There was an error parsing the body".
            return error_response(
                415,
                f"Content-Encoding {coding!r} is not accepted: send the request body uncompressed",
                param="Content-Encoding",
                code="unsupported_media_type",
                headers={"Accept-Encoding": "identity"},
            )
        host = headers.get("host")
        if host is not None and not self.host_allowed(host, scope):
            return error_response(
                400,
                f"Host {host!r} is not a name of this server{self._listed_on(host)}; set "
                "REELGEN_ALLOWED_HOSTS to serve it (requests naming another host are refused against "
                "DNS rebinding)",
                param="Host",
                code="invalid_host",
            )
        writes = scope["method"] not in SAFE_METHODS
        foreign = self._foreign(headers, host) if writes else None
        if foreign is not None and not self._keyed(headers):
            # Said with the origin seen and the setting that allows it: a person's own web app on
            # another port heard only "call the API from this server's own page".
            return error_response(
                403,
                f"{foreign}, and cross-origin requests that change anything are refused; call the API "
                "from this server's own page, from a client that is no browser, or with the API key, "
                "or list that page's origin in REELGEN_ALLOWED_ORIGINS",
                code="cross_origin",
            )
        if writes and self.key is not None and not self._keyed(headers):
            # Refused before the body is read: a client with no key made the server take in and parse
            # a 32 MB body (a second of its CPU) only to hear this 401 after.
            said = key_problem(Request(scope), _bearer(headers))
            return error_response(401, said, headers={"WWW-Authenticate": "Bearer"})
        return None

    def host_allowed(self, host: str, scope: Scope) -> bool:
        if self.any_host:
            return True
        if _in_process(scope):
            return True
        name, port = host_and_port(host)
        if name in self.hosts or _is_loopback(name):
            return True
        # A browser leaves the scheme's own port out of Host: listed as name:443 (or :80), a page at
        # https://name/ sends "Host: name". Either is taken, as a proxy in front may end TLS.
        ports = {port} if port is not None else {80, 443}
        return any((name, p) in self.host_ports for p in ports)

    def _listed_on(self, host: str) -> str:
        """Words for a Host whose name is listed with other ports only, else ""."""
        name = host_name(host)
        ports = sorted(p for n, p in self.host_ports if n == name)
        if not ports:
            return ""
        shown = ", ".join(f"{name}:{p}" for p in ports)
        return f" on this port (REELGEN_ALLOWED_HOSTS lists {shown}; list {name} alone for any port)"

    def _foreign(self, headers: Headers, host: str | None) -> str | None:
        """What shows the request comes from another origin's page, in words, or None."""
        name = "Origin" if headers.get("origin") else "Referer"
        origin = headers.get(name)
        seen = _origin_of(origin) if origin else None  # "null" (sandboxed frames, file: pages) has none
        if seen is not None and seen in self.origins:
            # Asked first: browsers send Sec-Fetch-Site: cross-site with every call from a listed
            # origin's page to this server, so a real browser's writes from one were all refused.
            return None
        if headers.get("sec-fetch-site") == "cross-site":
            return "the browser says this request comes from another site (Sec-Fetch-Site: cross-site)"
        if not origin:
            return None  # no browser page sent this (browsers send Origin on every cross-origin POST)
        if seen is not None and host is not None and _same_origin(seen, host):
            return None
        return f"the request comes from {name} {origin[:200]!r}, not this server's own page"

    def _keyed(self, headers: Headers) -> bool:
        return self.key is not None and secrets.compare_digest(_bearer(headers).encode(), self.key.encode())


def _beyond_loopback(scope: Scope) -> str | None:
    """The local address a request came in on when it is not a loopback one, else None (a name, as
    Starlette's test transport gives, or a Unix socket, counts as this machine)."""
    server = scope.get("server") or ("",)
    try:
        address = ipaddress.ip_address(str(server[0]).strip("[]"))
    except ValueError:
        return None
    inner = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    return None if address.is_loopback or (inner is not None and inner.is_loopback) else str(address)


def _bearer(headers: Headers) -> str:
    """The key of an ``Authorization: Bearer <key>`` header, read as FastAPI's HTTPBearer reads it, or ""."""
    scheme, _, given = headers.get("authorization", "").partition(" ")
    return given.strip() if scheme.lower() == "bearer" else ""


def _in_process(scope: Scope) -> bool:
    """Whether Starlette's in-process test transport made this request (no network at all).

    Its client name alone was trusted, and uvicorn takes the client from ``X-Forwarded-For`` on a
    connection from 127.0.0.1: a DNS-rebinding page sending ``X-Forwarded-For: testclient`` (a header
    fetch() may set) passed the Host check. The transport's debug extension comes from no request.
    """
    client = scope.get("client") or ("",)
    return client[0] == "testclient" and "http.response.debug" in (scope.get("extensions") or {})


def _query_name_twice(query: bytes) -> str | None:
    """The first query parameter name the URL gives more than once, if any."""
    seen: set[str] = set()
    for name, _ in urllib.parse.parse_qsl(query.decode("utf-8", "replace"), keep_blank_values=True):
        if name in seen:
            return name
        seen.add(name)
    return None


def _has_body(headers: Headers) -> bool:
    length = headers.get("content-length", "").strip()
    return "transfer-encoding" in headers or (bool(length) and length != "0")


def _same_origin(origin: str, host: str) -> bool:
    """Whether ``origin`` (``scheme://host[:port]``) is the server the ``Host`` header names."""
    parts = urllib.parse.urlsplit(origin)
    default = 443 if parts.scheme == "https" else 80
    try:
        ours = urllib.parse.urlsplit(f"//{host}")
        return (parts.hostname or "") == host_name(host) and (parts.port or default) == (ours.port or default)
    except ValueError:
        return False
