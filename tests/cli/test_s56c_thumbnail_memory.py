"""A thumbnail that cannot get its memory is said to be out of memory before the output is put in place."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.enhance import files
from tests.hdr_clips import PQ, tagged_clip

runner = CliRunner()


def test_a_thumbnail_short_of_memory_says_so_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tagged_clip(tmp_path / "phone.mp4", 130, PQ)

    def short(frame: np.ndarray, *_: object) -> np.ndarray:
        raise MemoryError

    monkeypatch.setattr(files, "tone_map", short)  # the thumbnail's tone mapping (an MP4 keeps its HDR)
    out = tmp_path / "big.mp4"
    args = ["enhance", str(source), "-o", str(out), "--upscale", "2", "--upscaler", "lanczos"]
    result = runner.invoke(app, args)
    said = " ".join(result.output.split())
    # It was written, with its record, then "internal error (MemoryError: no message) ... report it".
    assert result.exit_code == 1, said
    assert "internal error" not in said
    assert (
        "error: out of memory making big.mp4: its 128x96 frames (0.0 MB each) did not fit in the machine's "
        "free memory; give a smaller upscale factor or free some of its memory"
    ) in said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["phone.mp4"]
