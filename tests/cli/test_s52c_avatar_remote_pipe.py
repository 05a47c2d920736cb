"""``reelgen avatar --server`` uploads a voice from a pipe (``--audio <(sox ...)``): it is read once, whole."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app


def test_a_voice_from_a_pipe_is_uploaded(tmp_path: Path) -> None:
    # It said "--audio /dev/fd/63: no such file", though an upload reads the file once, as a pipe gives it.
    pipe = tmp_path / "fd63"
    os.mkfifo(pipe)

    def feed() -> None:
        with pipe.open("wb") as end:
            end.write(b"RIFF....WAVE")

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    # Port 1: nothing listens there, so the upload got as far as the call when it fails with exit 1.
    argv = ["avatar", "--audio", str(pipe), "--server", "http://127.0.0.1:1"]
    result = CliRunner().invoke(app, argv)
    writer.join(timeout=5)
    said = " ".join(result.output.split())
    assert result.exit_code == 1, said
    assert "cannot reach http://127.0.0.1:1" in said
    assert "no such file" not in said
    assert not writer.is_alive()  # the pipe was read to its end


def test_a_device_is_not_read(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["avatar", "--audio", "/dev/zero", "--server", "http://127.0.0.1:1"])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert "--audio /dev/zero is a device, not a file; give a file (or a pipe)" in said
