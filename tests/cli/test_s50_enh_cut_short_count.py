"""A video cut short is said to list the frames its header lists, not the few packets left of them."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.encode import write_video
from reelgen.core.types import Video


def test_the_frames_listed_are_the_headers(tmp_path: Path) -> None:
    whole = tmp_path / "whole.mp4"
    noise = np.random.default_rng(0).integers(0, 256, (24, 48, 64, 3), dtype=np.uint8)  # big frames
    write_video(Video(noise, Fraction(24)), whole)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])  # a copy that stopped half-way
    out = tmp_path / "out.mp4"
    args = ["enhance", str(cut), "-o", str(out), "--interpolate", "2", "--interpolator", "flow"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    record = json.loads(out.with_suffix(".json").read_text())["source_cut_short"]
    # It said "of the 12 frames it lists" (and so did the record): the packets left, not the 24 listed.
    assert record["frames_listed"] == 24 and record["frames_decoded"] < 24
    assert f"cut.mp4 ends after {record['frames_decoded']} of the 24 frames it lists" in said


def test_a_copy_that_stopped_between_frames_is_said_to_be_cut_short(tmp_path: Path) -> None:
    import av

    from tests.cli.test_enhance_cli import _clip

    whole = _clip(tmp_path / "whole.mp4", frames=12)  # with sound between the frames' data
    with av.open(str(whole)) as container:
        starts = sorted(p.pos for p in container.demux(container.streams.video[0]) if p.size)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: starts[6]])  # stopped where the 7th frame's data begins
    out = tmp_path / "out.mp4"
    args = ["enhance", str(cut), "-o", str(out), "--interpolate", "2", "--interpolator", "flow"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    # Every frame left decoded, so it was enhanced as a shorter clip without a word.
    record = json.loads(out.with_suffix(".json").read_text())["source_cut_short"]
    assert record["frames_listed"] == 12 and record["frames_decoded"] < 12
    assert f"cut.mp4 ends after {record['frames_decoded']} of the 12 frames it lists" in said
