"""``reelgen avatar --voice "" --server``: an empty voice is none, as it is without ``--server``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.speech.audio import write_wav
from reelgen.core.types import Audio


def test_an_empty_voice_beside_a_voice_track_goes_to_the_server_as_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rate = 16_000
    t = np.arange(rate) / rate
    voice = write_wav(tmp_path / "voice.wav", Audio((0.3 * np.sin(2 * np.pi * 220 * t))[None], rate))
    face = tmp_path / "face.png"
    face.write_bytes(b"png")
    sent: list[dict[str, Any]] = []

    def call(*args: Any, **kwargs: Any) -> Any:
        sent.append(kwargs["data"])
        raise typer.Exit(3)  # what the server does with it is not this test's business

    monkeypatch.setattr("reelgen.cli.client._call", call)
    argv = ["avatar", "--image", str(face), "--audio", str(voice), "--voice", ""]
    result = CliRunner().invoke(app, [*argv, "--server", "http://127.0.0.1:1"])
    # It was refused ("--voice speaks the text to say (--text) ..."), where a run here takes it.
    assert result.exit_code == 3, result.output
    assert "voice" not in sent[0]
