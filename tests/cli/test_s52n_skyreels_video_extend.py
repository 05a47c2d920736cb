"""``generate -m skyreels-tiny --video clip.mp4`` (no --task) says how to continue the clip."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.encode import write_video
from reelgen.core.types import Video

runner = CliRunner()


def test_a_clip_given_to_a_model_that_only_extends_suggests_task_extend(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It said "skyreels-tiny (SkyReels-V2) cannot do v2v; it supports extend, i2v, t2v. Families that
    # do v2v: ..." and no more: the clip was taken as one to restyle, and --task extend went unsaid.
    monkeypatch.chdir(tmp_path)
    write_video(Video(np.full((9, 32, 48, 3), 90, np.uint8), Fraction(16)), tmp_path / "clip.mp4")
    result = runner.invoke(app, ["generate", "x", "-m", "skyreels-tiny", "--video", "clip.mp4"])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert "skyreels-tiny (SkyReels-V2) cannot do v2v; it supports extend, i2v, t2v." in said
    assert said.endswith("To continue the clip instead: task extend (--task extend)."), said
    asked = runner.invoke(
        app, ["generate", "x", "-m", "skyreels-tiny", "--video", "clip.mp4", "--task", "v2v"]
    )
    assert asked.exit_code == 2 and "--task extend" not in asked.output  # v2v asked for: no guess
