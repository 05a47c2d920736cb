"""An address whose gRPC server is not a Ray head (a raylet's port, another program's) is refused in one line.

Such a server passed the address check (it speaks gRPC) and the token check (its
"not here" answer was taken as "come in"): ``RAY_ADDRESS=HOST:RAYLET_PORT reelgen
serve`` printed Ray's "Failed to get cluster ID" for 20 s, then "internal error
(ConnectionError ...) ... report it" (exit 1); ``reelgen worker`` the same, then
Ray's traceback. Here Ray's own GCS client asks a small HTTP/2 server that
answers every call 404, as a gRPC server without the GCS service does.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.jobs import _ray_address, cluster
from reelgen.jobs._ray_address import head_problem

runner = CliRunner()

_SETTINGS, _HEADERS, _PING = 0x04, 0x01, 0x06
_ACK, _END_STREAM_AND_HEADERS = 0x01, 0x05
#: HPACK: entry 13 of the static table, ":status: 404".
_STATUS_404 = b"\x8d"


def _frame(kind: int, flags: int, stream: int, payload: bytes = b"") -> bytes:
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream) + payload


def _read(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise ConnectionError
        data += chunk
    return data


def _answer_404(conn: socket.socket) -> None:
    """Speak just enough HTTP/2 to answer every request stream with 404."""
    with conn:
        try:
            _read(conn, 24)  # the client preface
            conn.sendall(_frame(_SETTINGS, 0, 0))
            while True:
                header = _read(conn, 9)
                size, kind, flags = int.from_bytes(header[:3], "big"), header[3], header[4]
                stream = int.from_bytes(header[5:9], "big") & 0x7FFFFFFF
                payload = _read(conn, size)
                if kind == _SETTINGS and not flags & _ACK:
                    conn.sendall(_frame(_SETTINGS, _ACK, 0))
                elif kind == _PING and not flags & _ACK:
                    conn.sendall(_frame(_PING, _ACK, 0, payload))
                elif kind == _HEADERS and stream:
                    conn.sendall(_frame(_HEADERS, _END_STREAM_AND_HEADERS, stream, _STATUS_404))
        except OSError:
            return


@contextmanager
def grpc_without_gcs() -> Iterator[int]:
    """A loopback HTTP/2 server with no Ray GCS service behind it; yields its port."""
    listener = socket.create_server(("127.0.0.1", 0))

    def accept() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=_answer_404, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()


@pytest.fixture(autouse=True)
def loopback_as_is(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ray dials 127.0.0.1 as this machine's network address; this server listens on loopback."""
    monkeypatch.setattr(_ray_address, "_dialled", lambda host: host)
    for name in ("RAY_AUTH_MODE", "RAY_AUTH_TOKEN", "RAY_AUTH_TOKEN_PATH", "RAY_ADDRESS", "RAY_USE_TLS"):
        monkeypatch.delenv(name, raising=False)


def test_serve_names_a_grpc_port_that_is_not_a_ray_head() -> None:
    with grpc_without_gcs() as port:
        problem = head_problem(f"127.0.0.1:{port}", "RAY_ADDRESS=")
    assert problem == (
        f"RAY_ADDRESS=127.0.0.1:{port} answers gRPC, but not as a Ray head (no GCS there: a raylet's or "
        "another Ray process's port, or another program's?); give the host:port `ray start --head` "
        "printed (its GCS), such as 10.0.0.5:6380, or unset RAY_ADDRESS to run workers here"
    )


def test_worker_refuses_it_in_one_line_before_ray_start(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[str] = []
    monkeypatch.setattr(cluster, "run_worker_node", lambda address, gpus: started.append(address) or 0)
    with grpc_without_gcs() as port:
        result = runner.invoke(app, ["worker", "--address", f"127.0.0.1:{port}", "--num-gpus", "0"])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert said.startswith(f"error: --address 127.0.0.1:{port} answers gRPC, but not as a Ray head")
    assert "Traceback" not in said and started == []
