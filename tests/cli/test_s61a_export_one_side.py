"""``reelgen project export --height H`` alone keeps the film's shape, as its --help says, even where the
project file sets ``export.width``: it made a film of the file's width and the option's height (64x18 of a
16:9 film, the picture letterboxed into a strip); a side the file sets alone is still taken when no option
gives one, and both options given are both taken."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.media import probe

runner = CliRunner()

#: A title card only: the film is 1280x720 (16:9) before export.width makes it 64x36.
PROJECT = "title: Cards\nscenes:\n  - title_card: {text: Hi}\n    duration: 0.5\nexport:\n  width: 64\n"


@pytest.mark.parametrize(
    ("options", "size"),
    [
        ([], (64, 36)),
        (["--height", "18"], (32, 18)),
        (["--width", "32"], (32, 18)),
        (["--width", "32", "--height", "32"], (32, 32)),
    ],
)
def test_one_side_given_keeps_the_films_shape(
    tmp_path: Path, options: list[str], size: tuple[int, int]
) -> None:
    (tmp_path / "project.yaml").write_text(PROJECT)
    film = tmp_path / "film.mp4"
    result = runner.invoke(app, ["project", "export", str(tmp_path), "-q", "-o", str(film), *options])
    assert result.exit_code == 0, result.output
    info = probe(film)
    assert (info["width"], info["height"]) == size
