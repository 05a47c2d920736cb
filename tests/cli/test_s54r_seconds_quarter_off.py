"""``reelgen generate --seconds`` that the clip made would miss by more than a quarter is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.spec.rules import SizeRules

runner = CliRunner()


def said(output: str) -> str:
    return " ".join(output.replace("│", " ").split())


def test_a_fifth_of_a_second_at_half_a_frame_a_second_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It made 1 frame at 0.5 fps, a 2 s clip for --seconds 0.2, and said nothing: within half of
    # wan-tiny's 4-frame step, so the lattice rule kept quiet though the clip was ten times as long.
    monkeypatch.chdir(tmp_path)
    asked = ["generate", "x", "-m", "wan-tiny", "--seconds", "0.2", "--fps", "0.5", "-o", "x.mp4", "-q"]
    result = runner.invoke(app, asked)
    assert result.exit_code == 2, result.output
    words = said(result.output)
    assert "--seconds: 0.2 s at 0.5 fps would be 2 s (1 frame)" in words, words
    assert "set the frame rate (--fps) to 5 (1 frame)" in words, words
    assert list(tmp_path.iterdir()) == []


def test_within_a_quarter_stays_silent() -> None:
    # 0.35 s at 12 fps is 5 frames, 0.417 s: 19 % long, the lattice's nearest.
    rules = SizeRules(label="x", frame_step=4, frame_offset=1, min_frames=5)
    assert rules.frames_for_seconds(0.35, 12) == 5
