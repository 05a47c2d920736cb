"""A photo with several faces says which one speaks, and how to pick another."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.speech.prepare import check_face
from tests.api.test_hostile_avatar_inputs import wav


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    from skimage import data

    face = Image.fromarray(data.astronaut()).resize((256, 256))
    face.save(tmp_path / "one.png")
    two = Image.new("RGB", (512, 256))
    two.paste(face.resize((192, 192)), (0, 32))  # number 0, the smaller
    two.paste(face, (256, 0))  # number 1, the largest
    two.save(tmp_path / "two.png")
    return tmp_path


def test_the_cli_names_the_face_it_animates(photos: Path) -> None:
    (photos / "voice.wav").write_bytes(wav(0.5, 0.5))
    argv = ["avatar", "--image", str(photos / "two.png"), "--audio", str(photos / "voice.wav")]
    result = CliRunner().invoke(app, [*argv, "--model", "musetalk-tiny", "-o", str(photos / "t.mp4"), "-q"])
    said = " ".join(result.output.split())
    # It said nothing: with -q only the file's name, and the person could not tell which face would speak.
    assert result.exit_code == 0, said
    assert (
        "warning: 2 faces found in the photo; the largest is animated (number 1 of 0..1 from the left); "
        "give --face-index N (over HTTP, face_index) for another"
    ) in said


def test_one_face_or_a_chosen_one_needs_no_word(photos: Path) -> None:
    assert check_face(str(photos / "one.png"), None) is None
    assert check_face(str(photos / "two.png"), 0) is None
    assert check_face(str(photos / "two.png"), None) is not None
