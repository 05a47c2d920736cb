"""`reelgen project export -o x.gif` that is refused says only why: "warning: the sound is not in x.gif"
came first, for a film that was never written."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app
from tests.core.test_project import music

runner = CliRunner()


def test_a_refused_gif_export_warns_of_nothing(tmp_path: Path) -> None:
    film = tmp_path / "film"
    film.mkdir()
    music(film / "song.wav", 2.0)
    (film / "project.yaml").write_text(
        "title: t\ndefaults: {width: 48, height: 32, fps: 8}\nsoundtrack: {file: song.wav}\n"
        "scenes:\n  - {id: intro, title_card: {text: Harbour Lights at Night}, duration: 1}\n"
    )
    gif = tmp_path / "x.gif"
    result = runner.invoke(app, ["project", "export", str(film), "-o", str(gif), "--width", "2"])
    assert result.exit_code == 2, result.output
    assert "title_card" in result.output, result.output
    assert "warning" not in result.output, result.output
    assert not gif.exists()


def test_a_gif_export_that_goes_ahead_still_warns_of_the_sound(tmp_path: Path) -> None:
    film = tmp_path / "film"
    film.mkdir()
    music(film / "song.wav", 2.0)
    (film / "project.yaml").write_text(
        "title: t\ndefaults: {width: 48, height: 32, fps: 8}\nsoundtrack: {file: song.wav}\n"
        "scenes:\n  - {id: intro, title_card: {text: Hi}, duration: 1}\n"
    )
    gif = tmp_path / "x.gif"
    result = runner.invoke(app, ["project", "export", str(film), "-o", str(gif)])
    assert result.exit_code == 0, result.output
    assert "warning: the sound is not in" in " ".join(result.output.split()), result.output
    assert gif.is_file()
