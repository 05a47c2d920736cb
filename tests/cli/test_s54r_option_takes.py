"""``reelgen enhance --option STAGE.BAD`` lists only what ``--option`` takes, not what a flag sets."""

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


@pytest.mark.parametrize(
    ("flags", "typed", "said", "left_out"),
    [
        # It listed "factor, target_fps, ..."; flow.factor=2 was then refused: --interpolate sets it.
        (
            ["--interpolate", "2", "--interpolator", "flow"],
            "flow.foo=1",
            "flow takes: scene_threshold, batch",
            "factor",
        ),
        (
            ["--target-fps", "16", "--interpolator", "flow"],
            "flow.foo=1",
            "flow takes: scene_threshold, batch",
            "target_fps",
        ),
        (
            ["--upscale", "2", "--upscaler", "lanczos"],
            "lanczos.foo=1",
            "lanczos takes no other options",
            "scale",
        ),
    ],
)
def test_the_list_leaves_out_what_a_flag_sets(
    tmp_path: Path, flags: list[str], typed: str, said: str, left_out: str
) -> None:
    out = tmp_path / "out.mp4"
    args = ["enhance", str(_clip(tmp_path / "in.mov")), "-o", str(out), *flags, "--option", typed, "-q"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    shown = " ".join(result.output.split())
    assert said in shown, shown
    assert left_out not in shown.split("takes", 1)[1], shown
    assert not out.exists()


def test_an_api_step_still_hears_every_option() -> None:
    # A request's own enhance step sets its factor as an option: there the list keeps it.
    step = EnhanceStep(name="flow", options={"factor": 2, "foo": 1})
    with pytest.raises(InvalidRequest) as refused:
        resolve_chain([step], 16, 16, 2, 8)
    assert "flow takes: factor, target_fps, scene_threshold, batch" in refused.value.message
