"""An output whose record (NAME.json) replaces that of another video beside it says so before it is made."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.encode import read_metadata

runner = CliRunner()


def _clip(path: Path) -> Path:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=24)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for k in range(4):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), 40 * k, np.uint8), format="rgb24")
            frame.pts, frame.time_base = k, Fraction(1, 24)
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return path


def _enhance(source: Path, out: Path) -> tuple[int, str]:
    args = ["enhance", str(source), "-o", str(out), "-q", "--upscale", "2", "--upscaler", "lanczos"]
    result = runner.invoke(app, args)
    return result.exit_code, " ".join(result.output.split())


def test_a_gif_beside_an_mp4_of_that_name_says_it_takes_the_mp4s_record(tmp_path: Path) -> None:
    source = _clip(tmp_path / "in.mp4")
    assert _enhance(source, tmp_path / "out.mp4")[0] == 0
    code, said = _enhance(source, tmp_path / "out.gif")
    assert code == 0, said
    # out.mp4's record became out.gif's without a word.
    assert (
        "warning: out.json, the record of out.mp4, becomes out.gif's; out.mp4 still carries its own inside it "
        "(`reelgen replay out.mp4` reads it)"
    ) in said
    assert json.loads((tmp_path / "out.json").read_text())["output"]["width"] == 128
    assert read_metadata(tmp_path / "out.mp4")["output"]["width"] == 128


def test_the_same_video_made_again_and_a_record_left_alone_are_replaced_quietly(tmp_path: Path) -> None:
    source = _clip(tmp_path / "in.mp4")
    assert _enhance(source, tmp_path / "out.mp4")[0] == 0
    code, said = _enhance(source, tmp_path / "out.mp4")  # its own record
    assert code == 0 and "warning" not in said, said
    (tmp_path / "out.mp4").unlink()  # the record of no video left: a GIF may take its name
    code, said = _enhance(source, tmp_path / "out.gif")
    assert code == 0 and "warning" not in said, said
    assert json.loads((tmp_path / "out.json").read_text())["output"]["width"] == 128
