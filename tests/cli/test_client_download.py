"""``reelgen download`` from a server that stops sending mid-file: it gives up, and writes nothing."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from reelgen.cli import app, download

VIDEO = "video_" + "0" * 32


class _Stalling(BaseHTTPRequestHandler):
    """Says an MP4 of 1 MB follows, sends its first bytes, then nothing."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "video/mp4")
        self.send_header("Content-Length", str(1 << 20))
        self.end_headers()
        self.wfile.write(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 4000)
        self.wfile.flush()
        time.sleep(3)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def stalling() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Stalling)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_download_that_stalls_gives_up_and_leaves_no_file(
    stalling: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With no read limit it waited for ever on such a server.
    monkeypatch.setattr(download, "DOWNLOAD_TIMEOUT", httpx.Timeout(5.0, read=0.5))
    target = tmp_path / "fox.mp4"
    result = CliRunner().invoke(app, ["download", VIDEO, "-o", str(target), "--server", stalling])
    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())
    assert (
        f"download from {stalling} failed: nothing arrived for 0.5 s; nothing was written to {target}" in said
    )
    assert list(tmp_path.iterdir()) == []  # neither the file nor its .part


class _Whole(BaseHTTPRequestHandler):
    """Sends a whole small MP4-typed file."""

    def do_GET(self) -> None:
        body = b"\x00\x00\x00\x18ftypmp42" + b"\x01" * 8000
        self.send_response(200)
        self.send_header("Content-Type", "video/mp4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_a_full_disk_mid_download_says_so_in_one_line_and_keeps_the_earlier_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import io
    import os

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Whole)
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    target = tmp_path / "fox.mp4"
    target.write_bytes(b"the earlier take")
    real_open = Path.open

    class _Full(io.RawIOBase):
        def writable(self) -> bool:
            return True

        def write(self, data: object) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def opened(self: Path, mode: str = "r", *args: object, **kwargs: object) -> object:
        if mode == "wb" and (self.name.startswith(".fox-") or self.name.endswith(".part")):
            real_open(self, mode).close()  # the hidden file exists, as a real one would
            return _Full()
        return real_open(self, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", opened)
    try:
        result = CliRunner().invoke(
            app,
            [
                "download",
                VIDEO,
                "-o",
                str(target),
                "--server",
                f"http://127.0.0.1:{server.server_address[1]}",
            ],
        )
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())
    assert "internal error" not in said and "no space left on the device writing" in said, said
    assert target.read_bytes() == b"the earlier take"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fox.mp4"]  # no hidden or .part file left
