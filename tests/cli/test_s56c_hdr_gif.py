"""An HDR clip (PQ or HLG, BT.2020) made a GIF or a thumbnail is tone-mapped to sRGB, not shown flat and washed out."""

from __future__ import annotations

import json
from pathlib import Path

import av
import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.enhance.files import enhance_file
from reelgen.core.spec.request import EnhanceStep
from tests.hdr_clips import HLG, PQ, tagged_clip

runner = CliRunner()


def _grey(path: Path) -> float:
    with av.open(str(path)) as container:
        return float(next(container.decode(video=0)).to_ndarray(format="rgb24").mean())


# PQ code 130/255 is 100 nits; HLG code 191/255 is 203 nits on its 1000-nit display. With SDR white at
# 203 nits (BT.2408), 100 nits is 49% of white's light, sRGB 184; 203 nits is white, rolled off to 245.
# Read as SDR they were 130 and 191: dim, flat grey.
@pytest.mark.parametrize(
    ("transfer", "level", "shown", "words"), [(PQ, 130, 184, "PQ"), (HLG, 191, 245, "HLG")]
)
def test_an_hdr_clip_made_a_gif_is_tone_mapped(
    tmp_path: Path, transfer: int, level: int, shown: int, words: str
) -> None:
    source = tagged_clip(tmp_path / "phone.mp4", level, transfer)
    out = tmp_path / "phone.gif"
    args = ["enhance", str(source), "-o", str(out), "--upscale", "2", "--upscaler", "lanczos"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (
        f"warning: phone.mp4 is HDR ({words}, BT.2020); a GIF holds SDR colours only, so its frames are "
        "tone-mapped to sRGB (highlights rolled off)"
    ) in " ".join(result.output.split())
    assert abs(_grey(out) - shown) <= 3
    assert (
        json.loads(out.with_suffix(".json").read_text())["output"]["tone_mapped"]
        == f"{words}, BT.2020 to sRGB"
    )


def test_the_thumbnail_of_an_hdr_clip_is_tone_mapped_and_its_mp4_stays_hdr(tmp_path: Path) -> None:
    source = tagged_clip(tmp_path / "phone.mp4", 130, PQ)
    step = EnhanceStep(name="lanczos", options={"scale": 2})
    result = enhance_file(source, tmp_path / "big.mp4", [step])
    assert abs(float(result.thumbnail.mean()) - 184) <= 3  # a PNG: the job's thumbnail on the web page
    assert abs(_grey(result.path) - 129) <= 3  # the MP4 keeps its PQ values and tags: players map them
    assert "tone_mapped" not in result.metadata["output"]
