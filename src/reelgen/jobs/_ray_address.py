"""Whether a Ray head's address (``RAY_ADDRESS``) can be joined, said in one line before Ray is asked to join it.

Ray's own join waits on a head that is not there, or on a port where something
else listens, for ever: a warning every few seconds, the banner printed, no
answer and no way out but SIGKILL. So the address is checked here first: its
form, that a connection opens where Ray will really dial (Ray turns 127.0.0.1
and localhost into this machine's network address), that what answers there
speaks gRPC, as Ray's GCS does, and, asked by Ray's own GCS client, that it is
a GCS (not a raylet's or another program's gRPC port) that takes this machine's
token where it asks for one (``_ray_token``).
"""

from __future__ import annotations

import os
import socket

from reelgen.core.errors import ReelgenError
from reelgen.jobs._ray_token import ANSWER_S, token_problem

#: The HTTP/2 client preface and an empty SETTINGS frame: every gRPC server answers with its SETTINGS.
_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + b"\x00\x00\x00\x04\x00\x00\x00\x00\x00"
_SETTINGS = 0x04
#: The hosts Ray's ``is_localhost`` takes for this machine (it compares these strings, nothing else).
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
#: Hosts that name every address of a machine (where a server listens, as ``ss -ltn`` lists it), none to dial.
_WILDCARDS = frozenset({"*", "0.0.0.0", "::"})
_FORM = "give the host:port `ray start --head` printed, such as 10.0.0.5:6380"


def speaks_grpc(sock: socket.socket, timeout_s: float) -> bool:
    """Whether the server on ``sock`` answers an HTTP/2 preface with a SETTINGS frame (gRPC does)."""
    sock.settimeout(timeout_s)
    try:
        sock.sendall(_PREFACE)
        header = b""
        while len(header) < 9:
            chunk = sock.recv(9 - len(header))
            if not chunk:
                return False
            header += chunk
    except OSError:  # reset, or nothing said within the time
        return False
    return header[3] == _SETTINGS and header[5:9] == b"\x00\x00\x00\x00"


def _dialled(host: str) -> str:
    """The host Ray really connects to: loopback names become this machine's network address."""
    if host not in _LOOPBACK:  # Ray leaves every other host as it is: its import alone takes a second
        return host
    try:
        from ray._private.services import resolve_ip_for_localhost

        return str(resolve_ip_for_localhost(host))
    except Exception:  # Ray's look-up moved or failed: it says so itself when joining
        return host


def head_problem(address: str, named: str, timeout_s: float = 5.0) -> str | None:
    """Why the Ray head at ``address`` (given as ``named``, e.g. ``RAY_ADDRESS=...``) cannot be joined, or None."""
    unset = ", or unset RAY_ADDRESS to run workers here" if named.startswith("RAY_ADDRESS") else ""
    target = address.strip()
    if target.startswith("ray://"):
        return (
            f"{named}{address} is a Ray Client (ray://) address, which reelgen cannot run its workers "
            f"through; {_FORM} (its GCS port), and run this on a machine the cluster can reach{unset}"
        )
    if "://" in target:
        return (
            f"{named}{address} is a web address (the dashboard's, for `ray job submit`), not a Ray "
            f"head's; {_FORM} (its GCS port, 6379 unless --port said otherwise){unset}"
        )
    host, _, port = target.rpartition(":")
    host = host.strip("[]")
    if not host or not port.isdigit() or not 1 <= int(port) <= 65535:
        return f"{named}{address!r} is not a Ray head's host:port; {_FORM}{unset}"
    if host in _WILDCARDS:
        # ``*`` passed the dial below (the resolver takes it for this machine), then Ray's own client
        # retried "Failed to connect to GCS at address *:6380" for ever.
        return (
            f"{named}{address} names no machine: {host} stands for every address a server listens on "
            f"(as `ss -ltn` lists Ray's port); give the head machine's address, such as 10.0.0.5:{port} "
            f"(`ray start --head` printed it){unset}"
        )
    dialled = _dialled(host)
    via = f" (Ray dials it as {dialled}:{port})" if dialled != host else ""
    try:
        sock = socket.create_connection((dialled, int(port)), timeout=timeout_s)
    except OSError as exc:
        return (
            f"cannot reach the Ray cluster at {named}{address}{via} ({exc.strerror or exc}); start it "
            f"there with `ray start --head --port {port}`{unset}"
        )
    with sock:
        if os.environ.get("RAY_USE_TLS", "0").lower() in ("1", "true"):
            return None  # a TLS head answers only after a handshake this check does not make
        if not speaks_grpc(sock, timeout_s):
            return (
                f"{named}{address}{via} answers, but not as a Ray head (no gRPC there: another "
                f"program's port, or the dashboard's?); {_FORM}{unset}"
            )
    where = f"[{dialled}]:{port}" if ":" in dialled else f"{dialled}:{port}"
    return token_problem(where, f"{named}{address}", unset, min(timeout_s, ANSWER_S))


def object_store_problem(size: int) -> str | None:
    """Why a private Ray cannot start with an object store of ``size`` bytes, or None.

    Ray refused it only once the server was starting: a traceback and "Application startup failed".
    """
    import psutil

    least, most = 75 * 1024**2, psutil.virtual_memory().total  # Ray's own bounds (services.py)
    if least <= size <= most:
        return None
    return (
        f"REELGEN_RAY_OBJECT_STORE_BYTES={size}: Ray's object store takes from {least} (75 MiB) to "
        f"{most} bytes (this machine's memory) (default {512 * 1024**2})"
    )


def ray_missing(needs: str, otherwise: str = "", *, joins: bool = False) -> str | None:
    """Why Ray cannot be imported here (not installed, or broken), or None; ``needs`` names what asked
    for it (``RAY_ADDRESS=...``), ``otherwise`` the way to do without it; ``joins``: a cluster's
    head is joined, whose Ray version this one must match.

    Ray is one of reelgen's dependencies, but an environment can lose it (``pip uninstall``, a
    partial install): ``serve`` then printed "internal error (ImportError ...) ... report it" after
    starting, and ``reelgen worker`` Python's traceback from ``ray start``.
    """
    try:
        import ray  # noqa: F401
    except ImportError as exc:
        version = " (the version the head runs)" if joins else ""
        return (
            f"{needs} needs Ray, which cannot be imported here ({exc}); install it with "
            f"`pip install ray`{version}{otherwise}"
        )
    return None


def check_head(address: str) -> None:
    """Raise, saying why, when the head at ``address`` cannot be joined now.

    ``serve`` checks it before starting; this is for the engine's restarts. After the head went
    away, ``ray.init`` waited on it for ever, saying nothing (over 5 minutes here), so the server's
    log never said why it stayed down and a SIGTERM waited a minute for the engine thread; now each
    try fails at once with the reason, and the next one (backing off to 30 s) joins a head that is back.
    """
    if address.strip() == "auto":  # a local ``ray start`` found as Ray finds it: ``serve`` checked that
        return
    if problem := head_problem(address, "RAY_ADDRESS="):
        raise ReelgenError(problem, param="RAY_ADDRESS")


def ignored_address_note(engine: str, kind: str, address: str | None) -> str | None:
    """What to tell a person whose Ray address the engine ``engine`` (running as ``kind``) leaves unused.

    With REELGEN_ENGINE=local the address was ignored without a word: the server ran its workers
    here while its user believed the cluster's GPUs were taking the jobs.
    """
    if not address or kind != "local":
        return None
    named = "RAY_ADDRESS" if os.environ.get("RAY_ADDRESS") else "REELGEN_RAY_ADDRESS"
    return (
        f"{named}={address} is not used: REELGEN_ENGINE={engine} runs the workers on this machine, "
        f"not on that Ray cluster; unset {named} to run here without this warning, or drop "
        f"REELGEN_ENGINE={engine} to join the cluster"
    )
