"""The port ``reelgen serve`` listens on: taken before anything else starts, and why one cannot be, in words."""

from __future__ import annotations

import socket


def cannot_listen(host: str, port: int, exc: OSError) -> str:
    """Why ``host:port`` cannot be listened on, with the fix that fits the reason."""
    import errno

    reason = exc.strerror or str(exc)
    if isinstance(exc, socket.gaierror):
        return f"--host {host!r} is not an address of this machine ({reason}); try 127.0.0.1 or 0.0.0.0"
    if exc.errno == errno.EADDRINUSE:
        hint = "is another server running there? Choose another with --port"
    elif exc.errno == errno.EACCES:
        hint = "ports below 1024 need extra rights; choose one above with --port"
    else:
        hint = "give --host an address of this machine, such as 127.0.0.1 or 0.0.0.0"
    return f"cannot listen on {host}:{port} ({reason}); {hint}"


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port``; raises OSError (address in use ...) before any work starts."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        # Listening now, not once the engine is up: a bound socket that is not listening lets a
        # second server bind the same port all through this one's start (Ray: seconds, a cluster
        # join: minutes), and clients meanwhile were refused instead of waiting in the backlog.
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock
