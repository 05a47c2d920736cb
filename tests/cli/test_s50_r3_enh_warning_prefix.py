"""`reelgen enhance`'s notes of what it could not do are warnings, said as the other warnings are."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.encode import write_video
from reelgen.core.enhance import files
from reelgen.core.enhance.mux import Extras
from reelgen.core.enhance.subtitles import Track
from reelgen.core.types import Video

ARGS = ["--interpolate", "2", "--interpolator", "flow", "-q"]


def _clip(path: Path, frames: int = 24) -> Path:
    noise = np.random.default_rng(0).integers(0, 256, (frames, 48, 64, 3), dtype=np.uint8)
    write_video(Video(noise, Fraction(24)), path)
    return path


def test_a_clip_cut_short_is_a_warning(tmp_path: Path) -> None:
    whole = _clip(tmp_path / "whole.mp4")
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])  # a copy that stopped half-way
    result = CliRunner().invoke(app, ["enhance", str(cut), "-o", str(tmp_path / "out.mp4"), *ARGS])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    # It said "cut.mp4 ends after ..." with no "warning:", unlike every other warning of a run.
    assert "warning: cut.mp4 ends after " in said, said


def test_subtitles_drawn_as_pictures_left_out_is_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.cli.test_enhance_subtitles import _clip as subtitled

    source = subtitled(tmp_path / "in.mp4", "mov_text", tmp_path)
    real = files.read_extras

    def as_dvd_subtitles(path: Path) -> Extras:
        # FFmpeg builds lack a picture subtitle encoder to write such a stream: the clip's one text
        # track is read as a DVD's instead, which the output does not carry.
        extras = real(path)
        dvd = Track("dvd_subtitle", "fra", text=False)
        return replace(extras, subtitles=(dvd,))

    monkeypatch.setattr(files, "read_extras", as_dvd_subtitles)
    out = tmp_path / "out.mp4"
    result = CliRunner().invoke(app, ["enhance", str(source), "-o", str(out), *ARGS])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    # It said "subtitles drawn as pictures ..." with no "warning:", unlike every other warning of a run.
    assert "warning: subtitles drawn as pictures (dvd_subtitle) are not carried" in said, said
