"""``reelgen avatar --server`` with a Piper voice file: refused before the upload, saying why."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app


def test_a_voice_file_is_said_to_work_without_server_only(tmp_path: Path) -> None:
    # The server answered "--voice 'de.onnx' is not a voice of this server", as if the path were
    # wrong, after the photo had been uploaded: a voice file is never sent, a server speaks its own.
    voice = tmp_path / "de.onnx"
    voice.write_bytes(b"onnx")
    face = tmp_path / "face.png"
    face.write_bytes(b"png")
    # Port 1: nothing listens there, so a call that got that far would fail with exit 1, not 2.
    argv = ["avatar", "--image", str(face), "--text", "Hallo", "--voice", str(voice)]
    result = CliRunner().invoke(app, [*argv, "--server", "http://127.0.0.1:1"])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert f"--voice {voice}: a voice file is read only without --server" in said
    assert "a server speaks with its own voices (en_US-joe-medium)" in said


def test_the_servers_voice_by_name_still_goes_to_the_server(tmp_path: Path) -> None:
    face = tmp_path / "face.png"
    face.write_bytes(b"png")
    argv = ["avatar", "--image", str(face), "--text", "Hi", "--voice", "en_US-joe-medium"]
    result = CliRunner().invoke(app, [*argv, "--server", "http://127.0.0.1:1"])
    assert result.exit_code == 1  # the call was made: nothing listens on port 1
    assert "a voice file is read only" not in result.output
