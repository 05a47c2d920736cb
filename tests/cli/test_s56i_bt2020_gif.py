"""A 10-bit BT.2020 clip that is SDR made a GIF: its colours converted to sRGB (they came out paler), with no
HDR warning; HDR made an MP4 says it is written 8-bit."""

from __future__ import annotations

import json
from pathlib import Path

import av
import numpy as np
from typer.testing import CliRunner

from reelgen.cli import app
from tests.hdr_clips import BT2020_10, PQ, tagged_clip

runner = CliRunner()


def _enhance(source: Path, out: Path) -> str:
    args = ["enhance", str(source), "-o", str(out), "--upscale", "2", "--upscaler", "lanczos"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def _first_pixel(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        return next(container.decode(video=0)).to_ndarray(format="rgb24")[20, 20].astype(int)


def test_a_bt2020_sdr_clip_made_a_gif_has_its_colours_converted(tmp_path: Path) -> None:
    out = tmp_path / "clip.gif"
    said = _enhance(tagged_clip(tmp_path / "clip.mp4", (180, 90, 90), BT2020_10, matrix="bt2020"), out)
    # Read as sRGB's, BT.2020's (180, 90, 90) was shown (180, 90, 90): paler than it is.
    assert np.abs(_first_pixel(out) - (215, 66, 87)).max() <= 4
    assert "HDR" not in said
    assert json.loads(out.with_suffix(".json").read_text())["output"]["tone_mapped"] == "BT.2020 to sRGB"


def test_an_hdr_clip_made_an_mp4_says_it_is_written_8_bit_and_sdr_says_nothing(tmp_path: Path) -> None:
    said = _enhance(
        tagged_clip(tmp_path / "phone.mp4", (130, 130, 130), PQ, matrix="bt2020"), tmp_path / "big.mp4"
    )
    assert (
        "warning: phone.mp4 is HDR (PQ, BT.2020); big.mp4 stays HDR (tagged as the source is) but is written "
        "with 8 bits a colour"
    ) in said
    said = _enhance(
        tagged_clip(tmp_path / "sdr.mp4", (180, 90, 90), BT2020_10, matrix="bt2020"), tmp_path / "sdr-big.mp4"
    )
    assert "warning" not in said
    assert np.abs(_first_pixel(tmp_path / "sdr-big.mp4") - (180, 90, 90)).max() <= 4  # tagged BT.2020, kept
