"""``reelgen generate --image clip.mp4`` says the file is a video and where a video goes, as ``animate`` does:
it said "not a readable image (cannot identify image file)", as of a broken picture, with no way on."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app


def _clip(path: Path) -> Path:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=12)
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        for i in range(6):
            frame = av.VideoFrame.from_ndarray(np.full((64, 64, 3), i * 30, np.uint8), format="rgb24")
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return path


@pytest.mark.parametrize("flag", ["--image", "--end-image"])
def test_a_clip_given_as_a_picture_is_said_to_be_a_video(tmp_path: Path, flag: str) -> None:
    clip = _clip(tmp_path / "my clip.mp4")
    still = tmp_path / "still.png"
    Image.new("RGB", (64, 64), (200, 30, 30)).save(still)
    given = {"--image": str(still), flag: str(clip)}
    argv = ["generate", "x", "-m", "ltx-tiny", *(part for pair in given.items() for part in pair)]
    result = CliRunner().invoke(app, [*argv, "-o", str(tmp_path / "x.mp4")])
    out = " ".join(result.output.split())
    assert result.exit_code == 2, out
    assert (
        f"{flag}: {clip} is not a readable image but a video; valid: BMP, GIF, JPEG, PNG, TIFF, WEBP" in out
    ), out
    assert "cannot identify" not in out
    if flag == "--image":  # the way on, quoted for a shell
        assert (
            f"to start from this clip, give it as --video (`reelgen generate PROMPT --video '{clip}'`)" in out
        ), out
    assert not (tmp_path / "x.mp4").exists()
