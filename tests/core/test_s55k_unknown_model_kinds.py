"""An unknown model name near no model lists the first model of each family that can do what was asked:
it listed reelgen-lipsync, an avatar-only model that makes no video from a prompt, beside the video models."""

from __future__ import annotations

import pytest

from reelgen.core.errors import ModelNotAvailable
from reelgen.core.spec import registry
from reelgen.core.spec.request import Task


def _said(model: str, task: Task | None = None) -> str:
    with pytest.raises(ModelNotAvailable) as refused:
        registry.resolve(model) if task is None else registry.resolve(model, task)
    return refused.value.message


def test_a_name_near_nothing_lists_video_models_not_the_avatar_one() -> None:
    said = _said("zzzz")
    assert "known models: animatediff-v1-5-2, cogvideox-2b, " in said, said
    assert "reelgen-lipsync" not in said and "wan-1.3b" in said and "reelgen-micro" in said
    assert (
        "(the first of each family that makes a video from a prompt or an image; `reelgen models` lists all"
        in said
    )


def test_asked_for_an_image_to_video_it_lists_only_models_that_take_an_image() -> None:
    said = _said("zzzz", Task.I2V)
    assert "svd" in said and "framepack" in said
    assert "mochi-1" not in said and "animatediff-v1-5-2" not in said and "reelgen-lipsync" not in said
    assert "(the first of each family that makes a video from a start image;" in said


def test_asked_for_an_avatar_it_lists_the_avatar_model() -> None:
    said = _said("zzzz", Task.AVATAR)
    assert "known models: reelgen-lipsync (the first of each family that makes a talking head" in said, said


def test_asked_for_a_task_the_near_names_offered_do_it() -> None:
    said = _said("reelgen-mikro", Task.T2V)
    assert said.startswith("unknown model 'reelgen-mikro'; did you mean reelgen-micro"), said
    assert "reelgen-lipsync" not in said
    assert "reelgen-lipsync" in _said("reelgen-lipsynk", Task.AVATAR)
