"""`reelgen avatar --max-seconds` below the shortest voice an avatar takes is refused at once, saying so."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app
from tests.api.test_hostile_avatar_inputs import wav


def test_a_limit_no_voice_could_pass_is_refused(tmp_path: Path) -> None:
    Image.new("RGB", (128, 128), (180, 140, 120)).save(tmp_path / "face.png")
    (tmp_path / "voice.wav").write_bytes(wav(2, 2))
    args = ["avatar", "--image", str(tmp_path / "face.png"), "--audio", str(tmp_path / "voice.wav")]
    result = CliRunner().invoke(app, [*args, "--max-seconds", "0.1", "-o", str(tmp_path / "t.mp4"), "-q"])
    said = " ".join(result.output.split())
    # It said "the voice track is 2.0 s long; the limit is 0.1 s (split it ...)": split into pieces
    # that would each be refused as shorter than a syllable.
    assert result.exit_code == 2, said
    assert (
        "--max-seconds 0.1 is below the shortest voice an avatar takes (0.25 s, a syllable), so no voice "
        "could pass; give at least 0.25"
    ) in said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["face.png", "voice.wav"]


def test_the_variable_is_held_to_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Image.new("RGB", (128, 128), (180, 140, 120)).save(tmp_path / "face.png")
    (tmp_path / "voice.wav").write_bytes(wav(2, 2))
    monkeypatch.setenv("REELGEN_AVATAR_MAX_SECONDS", "0.1")
    args = ["avatar", "--image", str(tmp_path / "face.png"), "--audio", str(tmp_path / "voice.wav")]
    result = CliRunner().invoke(app, [*args, "-o", str(tmp_path / "t.mp4"), "-q"])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert "REELGEN_AVATAR_MAX_SECONDS=0.1 is below the shortest voice an avatar takes (0.25 s" in said
