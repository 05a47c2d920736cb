"""Project files with fields that did nothing: blank window prompts, a model's settings on a title card."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.project import SceneStatus, plan_project, status
from tests.core.test_project import make

CARD = {"id": "opening", "title_card": {"text": "Hello"}, "duration": 1.0}


def test_a_blank_window_prompt_is_refused_naming_the_window(tmp_path: Path) -> None:
    # wan-tiny windows are 9 frames at 8 fps: 2 s is two windows. The second one ran from no prompt.
    scene = {"id": "walk", "prompt": "a walk", "duration": 2.0, "windows": {"prompts": ["a walk", " "]}}
    folder = make(tmp_path / "film", [scene])
    with pytest.raises(InvalidRequest) as err:
        plan_project(folder)
    assert err.value.param == "scenes[0].windows.prompts[1]"
    assert err.value.message == (
        "scene 'walk' (scenes[0]): windows.prompts[1] is empty; give that window's prompt "
        "(windows past the list use the scene's prompt)"
    )


def test_a_title_card_with_a_model_s_settings_is_refused_naming_them(tmp_path: Path) -> None:
    card = {**CARD, "model": "wan-tiny-typo", "seed": 4, "windows": {"frames": 9}}
    folder = make(tmp_path / "film", [card])
    with pytest.raises(InvalidRequest) as err:
        plan_project(folder)
    assert err.value.param == "scenes[0].model"
    assert err.value.message == (
        "scene 'opening' (scenes[0]): a title card is drawn at export, not rendered, so model, seed and "
        "windows would do nothing; drop them (or the title_card)"
    )


def test_a_title_card_with_empty_or_default_model_fields_still_reads(tmp_path: Path) -> None:
    folder = make(tmp_path / "film", [{**CARD, "seed": None, "loras": [], "windows": {}}])
    assert [s.status for s in status(folder)] == [SceneStatus.CARD]


@pytest.mark.parametrize("window", [0, 1])
def test_a_window_prompt_longer_than_a_prompt_may_be_is_refused_before_rendering(
    window: int, tmp_path: Path
) -> None:
    # The first window's was an internal error at status; the second's, one mid-render after window 1.
    prompts = ["a walk", "a walk"]
    prompts[window] = "z" * 20_001
    scene = {"id": "walk", "prompt": "a walk", "duration": 2.0, "windows": {"prompts": prompts}}
    folder = make(tmp_path / "film", [scene])
    with pytest.raises(InvalidRequest) as err:
        plan_project(folder)
    assert err.value.param == f"scenes[0].windows.prompts[{window}]"
    assert err.value.message == (
        f"scene 'walk' (scenes[0]): windows.prompts[{window}]: String should have at most 20000 characters"
    )
