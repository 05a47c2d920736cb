"""``reelgen avatar --text`` where REELGEN_HOME/speech cannot be made: one line naming REELGEN_HOME."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def test_a_file_in_the_speech_folders_place_is_said_once_naming_reelgen_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It printed two errors: "--output .../speech/KEY.wav: .../speech is a file, not a folder" (an
    # --output the person never gave), then, from the cleanup that failed on the same path, "cannot
    # use reelgen's data folder"; under CliRunner that second one was a NotADirectoryError raised.
    from skimage import data

    home = tmp_path / "home"
    home.mkdir()
    (home / "speech").write_text("not a folder")
    monkeypatch.setenv("REELGEN_HOME", str(home))
    face = tmp_path / "face.png"
    Image.fromarray(data.astronaut()).save(face)
    out = tmp_path / "hi.mp4"
    result = runner.invoke(app, ["avatar", "--image", str(face), "--text", "Hi there.", "-o", str(out)])
    said = " ".join(result.output.split())
    assert result.exit_code == 1, (result.exception, said)
    assert said.count("error:") == 1, said
    assert "--output" not in said
    assert f"cannot keep the spoken text in {home / 'speech'}: it is a file, not a folder" in said
    assert "set REELGEN_HOME to a folder you can write to" in said
    assert not out.exists()
