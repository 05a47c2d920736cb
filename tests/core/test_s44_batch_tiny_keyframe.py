"""A keyframe one pixel across is scored (and its item skipped) rather than ending the batch in a ValueError."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from reelgen.core.viability import assess_keyframe


@pytest.mark.parametrize("size", [(1, 1), (200, 1), (1, 90), (2, 2)])
def test_a_picture_too_small_to_judge_scores_zero_saying_why(tmp_path: Path, size: tuple[int, int]) -> None:
    Image.new("RGB", size, (120, 120, 120)).save(tmp_path / "tiny.png")
    viability = assess_keyframe(tmp_path / "tiny.png", (320, 180))
    assert viability.score == 0.0 and viability.parts["sharpness"] == 0.0
    assert any("too small to judge" in problem for problem in viability.problems)
