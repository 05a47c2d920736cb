"""Text whose speech is shorter than a syllable is refused naming the text, not an --audio never given."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app

# The bundled voice speaks "a" followed by a zero-width space in 0.15 s (plain "a" takes 0.32 s).
BRIEF = "a\u200b"


@pytest.fixture(scope="module")
def face() -> Image.Image:
    from skimage import data

    return Image.fromarray(data.astronaut()).resize((256, 256))


def test_the_cli_names_the_text(tmp_path: Path, face: Image.Image) -> None:
    face.save(tmp_path / "face.png")
    argv = ["avatar", "--image", str(tmp_path / "face.png"), "--text", BRIEF, "-o", str(tmp_path / "t.mp4")]
    result = CliRunner().invoke(app, [*argv, "-q"])
    said = " ".join(result.output.split())
    # It said "--audio: the voice track is 0.151 s long ...", though no --audio was given.
    assert result.exit_code == 2, said
    assert said.startswith("error: --text: 'a' is spoken in 0.15 s;"), said
    assert "at least 0.25 s of speech (a syllable)" in said and "--audio" not in said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["face.png"]
