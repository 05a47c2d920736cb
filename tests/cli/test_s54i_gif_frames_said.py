"""`reelgen project export -o film.gif --fps 200` says the frames the GIF holds: "200 frames ... @ 200 fps
(1.00s)" was said of a GIF holding 101, after a warning that frames would be left out."""

from __future__ import annotations

from pathlib import Path

import av
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def test_a_gif_above_100_fps_says_the_frames_it_holds_and_the_film_length(tmp_path: Path) -> None:
    film = tmp_path / "film"
    film.mkdir()
    (film / "project.yaml").write_text(
        "title: t\ndefaults: {width: 48, height: 32}\n"
        "scenes:\n  - {id: intro, title_card: {text: Hi}, duration: 1}\n"
    )
    gif = tmp_path / "x.gif"
    # 128 wide, not the export's default 1280x720: encoding 200 frames of that was all the test's time.
    argv = ["project", "export", str(film), "-o", str(gif), "--fps", "200", "--width", "128"]
    result = runner.invoke(app, argv)
    assert result.exit_code == 0, result.output
    with av.open(str(gif)) as container:
        held = sum(1 for _ in container.decode(video=0))
    assert held < 200
    assert f"\n{held} frames 128x72 @ 200 fps" in result.output, result.output
    assert "(1.00s, silent)" in result.output, result.output
