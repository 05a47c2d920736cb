"""`reelgen download ID -o NAME` with a name longer than a folder takes is bad input said in one line,
before the server is asked; it was "internal error (OSError: File name too long)"."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app


def test_a_name_too_long_is_said_before_asking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    name = "a" * 300 + ".mp4"
    # No server at this port: a refusal made before asking names the name, not the server.
    result = CliRunner().invoke(
        app, ["download", "video_" + "0" * 32, "-o", name, "--server", "http://127.0.0.1:9"]
    )
    assert result.exit_code == 2, result.output
    said = " ".join(result.stderr.split())
    assert said.startswith(f"error: --output {name}: the name aaaaaaaaaaaaaaaaaaaaaaaa... is 304 bytes long")
    assert "at most 255; give a shorter one" in said and "internal error" not in said
    assert list(tmp_path.iterdir()) == []
