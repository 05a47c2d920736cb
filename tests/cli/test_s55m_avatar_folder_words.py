"""A folder given to ``reelgen avatar --server`` as a file is refused in the words used without --server."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app

NOWHERE = "http://127.0.0.1:9"  # nothing listens: a refusal made before any upload names the folder


@pytest.mark.parametrize("server", [[], ["--server", NOWHERE]], ids=["here", "server"])
def test_a_folder_as_the_voice_is_said_alike_here_and_with_a_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server: list[str]
) -> None:
    # With --server it said "--audio voices is a folder; give a file (see 'reelgen avatar --help')".
    monkeypatch.chdir(tmp_path)
    Image.fromarray(np.zeros((64, 64, 3), np.uint8)).save(tmp_path / "face.png")
    (tmp_path / "voices").mkdir()
    result = CliRunner().invoke(app, ["avatar", "--image", "face.png", "--audio", "voices", *server])
    assert result.exit_code == 2, result.output
    assert " ".join(result.output.split()) == "error: --audio: voices is a folder; give a file"
