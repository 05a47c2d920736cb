"""A RAY_ADDRESS that is not a Ray head's GCS is refused in one line before Ray is asked to join it."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.jobs import _ray_address
from reelgen.jobs._ray_address import head_problem

runner = CliRunner()


@contextmanager
def server(answer: bytes | None) -> Iterator[int]:
    """A loopback server that sends ``answer`` to each connection (None: says nothing); yields its port."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            held.append(conn)
            if answer is not None:
                conn.sendall(answer)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()
        for conn in held:
            conn.close()


@pytest.fixture
def loopback_as_is(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ray dials 127.0.0.1 as this machine's network address; these servers listen on loopback."""
    monkeypatch.setattr(_ray_address, "_dialled", lambda host: "127.0.0.1" if host == "localhost" else host)


@pytest.mark.parametrize(
    ("address", "words"),
    [
        # "Name or service not known; start it there with `ray start --head --port 8265`".
        (
            "http://127.0.0.1:8265",
            "is a web address (the dashboard's, for `ray job submit`), not a Ray head's",
        ),
        # Ray's traceback ("Ray Client requires pip package `ray[client]`") and startup failed, exit 3.
        ("ray://127.0.0.1:10001", "is a Ray Client (ray://) address, which reelgen cannot run its workers"),
        ("head", "RAY_ADDRESS='head' is not a Ray head's host:port"),
    ],
)
def test_an_address_of_the_wrong_kind_is_named_with_what_to_give(address: str, words: str) -> None:
    problem = head_problem(address, "RAY_ADDRESS=")
    assert problem is not None and words in problem
    assert "`ray start --head` printed" in problem and problem.endswith(
        "unset RAY_ADDRESS to run workers here"
    )


@pytest.mark.parametrize(
    "answer", [None, b"-ERR unknown command 'PRI'\r\n", b"HTTP/1.1 400 Bad Request\r\n\r\n"]
)
def test_a_port_where_something_else_listens_is_not_taken_for_a_ray_head(
    loopback_as_is: None, answer: bytes | None
) -> None:
    """Ray's join waited on it for ever, a GCS warning every few seconds, the server neither
    answering nor stopping on SIGTERM."""
    with server(answer) as port:
        problem = head_problem(f"localhost:{port}", "RAY_ADDRESS=", timeout_s=0.5)
    assert problem is not None
    assert problem.startswith(
        f"RAY_ADDRESS=localhost:{port} (Ray dials it as 127.0.0.1:{port}) answers, but not"
    )
    assert "not as a Ray head (no gRPC there" in problem


#: An HTTP/2 SETTINGS frame, as Ray's GCS answers a client's preface.
GCS_SETTINGS = b"\x00\x00\x06\x04\x00\x00\x00\x00\x00" + b"\x00\x03\x00\x00\x00\x64"


def test_a_grpc_server_passes(loopback_as_is: None) -> None:
    with server(GCS_SETTINGS) as port:
        assert head_problem(f"127.0.0.1:{port}", "RAY_ADDRESS=", timeout_s=2) is None
        # Ray's TLS heads answer only after a handshake: not probed, left to Ray.
    with server(None) as port, pytest.MonkeyPatch.context() as patch:
        patch.setenv("RAY_USE_TLS", "1")
        assert head_problem(f"127.0.0.1:{port}", "RAY_ADDRESS=", timeout_s=0.5) is None


def test_serve_refuses_a_dashboard_address_before_it_listens(tmp_path: Path) -> None:
    env = {"REELGEN_HOME": str(tmp_path), "RAY_ADDRESS": "http://10.0.0.5:8265"}
    result = runner.invoke(app, ["serve", "--port", "1"], env=env)  # refused before the port is taken
    assert result.exit_code == 2, result.output
    assert "RAY_ADDRESS=http://10.0.0.5:8265 is a web address" in " ".join(result.output.split())
    assert "reelgen serving" not in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("size", ["1000", str(2**60)])
def test_an_object_store_ray_would_refuse_stops_serve_before_it_starts(tmp_path: Path, size: str) -> None:
    """Ray refused it once the server was starting: its traceback, "Application startup failed", exit 3."""
    env = {"REELGEN_HOME": str(tmp_path), "REELGEN_ENGINE": "ray", "REELGEN_RAY_OBJECT_STORE_BYTES": size}
    result = runner.invoke(app, ["serve", "--port", "1"], env={**env, "RAY_ADDRESS": None})
    assert result.exit_code == 2, result.output
    words = " ".join(result.output.split())
    assert (
        f"REELGEN_RAY_OBJECT_STORE_BYTES={size}: Ray's object store takes from 78643200 (75 MiB) to" in words
    )
    assert "(default 536870912)" in words and "reelgen serving" not in result.output


def test_the_default_object_store_passes() -> None:
    assert _ray_address.object_store_problem(512 * 1024**2) is None
