"""A missing file given to ``reelgen avatar`` is said in the same words with ``--server`` as without it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app

NOWHERE = "http://127.0.0.1:9"  # nothing listens: a refusal made before any upload names the file


def _said(result: object) -> str:
    return " ".join(result.output.split())  # type: ignore[attr-defined]


@pytest.mark.parametrize("server", [[], ["--server", NOWHERE]], ids=["here", "server"])
def test_a_missing_voice_is_said_alike_here_and_with_a_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server: list[str]
) -> None:
    # With --server it said "--audio nope.wav: no such file"; without, "--audio: file nope.wav does not exist".
    monkeypatch.chdir(tmp_path)
    Image.fromarray(np.zeros((64, 64, 3), np.uint8)).save(tmp_path / "face.png")
    result = CliRunner().invoke(app, ["avatar", "--image", "face.png", "--audio", "nope.wav", *server])
    assert result.exit_code == 2, result.output
    # Word for word: the --server line also pointed at --help, which says nothing of the file.
    assert _said(result) == "error: --audio: file nope.wav does not exist", _said(result)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["face.png"]


def test_a_missing_photo_is_said_alike_with_a_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["avatar", "--image", "nope.png", "--text", "hi", "--server", NOWHERE])
    assert result.exit_code == 2, result.output
    assert _said(result) == "error: --image: file nope.png does not exist", _said(result)
    assert list(tmp_path.iterdir()) == []
