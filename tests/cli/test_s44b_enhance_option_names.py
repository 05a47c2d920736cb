"""A stage option refused by ``reelgen enhance`` names the ``--option STAGE.KEY`` the user typed."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.enhance.registry import resolve_chain
from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.request import EnhanceStep


def _clip(path: Path) -> Path:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("png", rate=8)
        stream.width, stream.height, stream.pix_fmt = 16, 16, "rgb24"
        for level in (0, 90):
            frame = av.VideoFrame.from_ndarray(np.full((16, 16, 3), level, np.uint8), format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


@pytest.mark.parametrize(("typed", "shown"), [("0", "0"), ("3", "3"), ("abc", "'abc'")])
def test_a_rife_scale_off_the_list_names_the_option_typed(tmp_path: Path, typed: str, shown: str) -> None:
    # It said "rife scale 0 is not one of ..." with no flag: the check ran in the stage, past the
    # options, so its param was a bare "scale" the CLI could not trace back to --option rife.scale.
    out = tmp_path / "out.mp4"
    args = ["enhance", str(_clip(tmp_path / "in.mov")), "-o", str(out), "--interpolate", "2"]
    result = CliRunner().invoke(
        app, [*args, "--interpolator", "rife", "--option", f"rife.scale={typed}", "-q"]
    )
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert f"--option rife.scale: {shown} is not one of 0.25, 0.5, 1, 2, 4" in said, said
    assert not out.exists()


def test_the_api_hears_the_field_path_of_a_bad_rife_scale() -> None:
    step = EnhanceStep(name="rife", options={"factor": 2, "scale": 0.3})
    with pytest.raises(InvalidRequest) as refused:
        resolve_chain([step], 16, 16, 2, 8)
    assert refused.value.param == "enhance[0].options.scale"
    assert "0.3 is not one of 0.25, 0.5, 1, 2, 4" in refused.value.message
