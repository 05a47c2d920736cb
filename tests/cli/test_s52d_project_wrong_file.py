"""`reelgen project status film/music.wav` (the wrong file, tab-completed) says the file is no storyboard."""

from __future__ import annotations

import json
import wave
from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app


def test_a_sound_file_beside_a_rendered_project_is_told_it_is_no_yaml(tmp_path: Path) -> None:
    film = tmp_path / "film"
    film.mkdir()
    (film / "project.yaml").write_text("title: T\nscenes:\n  - {title_card: {text: T}, duration: 1}\n")
    (film / "state.json").write_text(json.dumps({"file": "project.yaml", "scenes": {}}))
    with wave.open(str(film / "music.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\xff" * 800)

    result = CliRunner().invoke(app, ["project", "status", str(film / "music.wav")])

    assert result.exit_code == 2
    said = result.output
    # Was: "music.wav: the clips and state.json ... are those of project.yaml, another storyboard there
    # ... give music.wav a folder of its own (as its project.yaml)": advice to make a WAV a project file.
    assert "another storyboard" not in said
    assert "music.wav is not valid YAML: it is not text" in said
    assert "is it the file you meant?" in said
