"""Which network addresses a server may send requests to on a client's say-so, and pinning a URL to one."""

from __future__ import annotations

import ipaddress
import socket
import urllib.parse


class BlockedTarget(ValueError):
    """A URL that is not sent to: not http(s), unresolvable, or resolving to a non-public address."""


def is_blocked_address(address: str) -> bool:
    """True unless ``address`` is a public unicast IP (private, loopback, link-local ... are blocked).

    IPv4 addresses wrapped in IPv6 (mapped, 6to4, Teredo) are judged by the IPv4 inside.
    """
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is not None:
            return is_blocked_address(str(inner))
        if ip.is_site_local:  # fec0::/10: deprecated, yet still a private range where it is routed
            return True
    return not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_unspecified


def pin_url(url: str, allow_private: bool = False) -> tuple[str, str, str]:
    """``url`` with its host replaced by the address it resolves to now, the ``Host`` header and
    the TLS server name to send with it.

    The name is resolved once and the request goes to that address, so a name that answers a
    public address when a job is created and 127.0.0.1 when its webhook is sent (DNS rebinding)
    reaches nothing private. Every address of the name must be public unless ``allow_private``.
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise BlockedTarget(f"{url!r} is not an http(s) URL")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise BlockedTarget(f"cannot resolve {parts.hostname} ({exc})") from None
    # In the resolver's order (RFC 6724: usable IPv6 first, else IPv4): sorted as text, IPv6 came first
    # for a host such as example.com, and a server with no IPv6 route could deliver nothing.
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    blocked = [a for a in addresses if is_blocked_address(a)]
    if not addresses or (blocked and not allow_private):
        raise BlockedTarget(
            f"{parts.hostname} resolves to a private, loopback or link-local address "
            f"({', '.join(blocked)}); only public addresses are sent to"
        )
    pinned = addresses[0]
    netloc = f"[{pinned}]:{port}" if ":" in pinned else f"{pinned}:{port}"
    target = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    return target, parts.netloc.rsplit("@", 1)[-1], parts.hostname
