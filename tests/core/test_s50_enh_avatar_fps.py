"""An avatar's frame rate: the range docs/avatars.md gives is the one taken, and a refusal says it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.errors import InvalidRequest
from reelgen.core.spec import GenerationRequest, resolve
from tests.api.test_hostile_avatar_inputs import wav

RANGE = "an avatar is made at 10 to 240 frames a second"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from skimage import data

    folder = tmp_path_factory.mktemp("avatar-fps")
    Image.fromarray(data.astronaut()).resize((256, 256)).save(folder / "face.png")
    (folder / "voice.wav").write_bytes(wav(2, 2))
    return folder / "face.png", folder / "voice.wav"


@pytest.mark.parametrize("fps", ["0.1", "9.5", "0", "300", "nan"])
def test_a_rate_outside_the_avatar_range_is_refused_saying_it(
    inputs: tuple[Path, Path], tmp_path: Path, fps: str
) -> None:
    face, voice = inputs
    out = tmp_path / "talk.mp4"
    result = CliRunner().invoke(
        app, ["avatar", "--image", str(face), "--audio", str(voice), "--fps", fps, "-o", str(out), "-q"]
    )
    said = " ".join(result.output.split())
    # --fps 0.1 made a 2 s voice one frame shown for 10 s; 0 and 300 were told "above 0 and at most 240".
    assert result.exit_code == 2, said
    assert f"error: --fps {float(fps):g}: {RANGE} (below 10 a mouth" in said
    assert "leave it out for 25" in said
    assert not list(tmp_path.iterdir())


def test_python_requests_are_held_to_the_same_range(inputs: tuple[Path, Path]) -> None:
    face, voice = inputs
    ask = dict(model="reelgen-lipsync", start_image=str(face), speech_audio=str(voice))
    with pytest.raises(InvalidRequest, match=f"fps 5: {RANGE}"):
        resolve(GenerationRequest(**ask, fps=5))  # type: ignore[arg-type]
    made = resolve(GenerationRequest(**ask, fps=10))  # type: ignore[arg-type]
    assert (made.num_frames, made.fps) == (20, 10)  # as long as the voice: 2 s at 10 fps


def test_the_docs_and_help_give_the_range() -> None:
    doc = " ".join(Path("docs/avatars.md").read_text().split())
    assert "`--fps` sets another rate, from 10 to 240" in doc
    help_text = " ".join(CliRunner().invoke(app, ["avatar", "--help"]).output.replace("│", " ").split())
    assert "Frames per second: 10 to 240 (default 25)." in help_text
