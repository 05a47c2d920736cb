"""Counts in a model's size and length rules read as sentences: "1 frame", never "1 frames"."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.request import Task
from reelgen.core.spec.rules import SizeRules, check_v2v_steps
from tests.core.helpers import resolved


def test_one_frame_below_a_models_shortest_clip_is_one_frame() -> None:
    # `reelgen generate -m skyreels-tiny --frames 1` read "--frames: 1 frames is outside 5..1457".
    with pytest.raises(InvalidRequest) as refused:
        resolved(model="skyreels-tiny", prompt="a fox", num_frames=1)
    assert refused.value.message.startswith("num_frames: 1 frame is outside 5..1457 (")


def test_one_frame_short_of_a_minimum_with_no_maximum_is_one_frame() -> None:
    with pytest.raises(InvalidRequest, match=r"^num_frames: 1 frame is too few: it takes at least 2 \(x\)$"):
        SizeRules(label="x", min_frames=2).check_frames(1)


def test_a_longest_clip_of_one_frame_is_one_frame() -> None:
    with pytest.raises(InvalidRequest, match=r"at most 1 frame, 0\.12 s at 8 fps;"):
        SizeRules(label="x", max_frames=1).frames_for_seconds(2, 8)


def test_one_step_leaving_no_denoising_is_one_step() -> None:
    request = SimpleNamespace(task=Task.V2V, steps=1, source_strength=0.5)
    with pytest.raises(InvalidRequest, match=r"^source_strength 0\.5 x 1 step leaves no denoising step; "):
        check_v2v_steps(request)  # type: ignore[arg-type]


def test_many_frames_stay_plural() -> None:
    with pytest.raises(InvalidRequest, match=r"^num_frames: 2 frames is not 8k\+1 "):
        SizeRules(label="x", frame_step=8, frame_offset=1).check_frames(2)
