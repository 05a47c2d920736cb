"""Project files with fields that did nothing: blank window prompts, a model's settings on a title card."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.project import ProjectFolder, SceneStatus, plan_project, status
from tests.core.test_project import make, picture

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
    empty = {"seed": None, "loras": [], "windows": {}, "negative_prompt": "", "reference_images": []}
    folder = make(tmp_path / "film", [{**CARD, **empty}])
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
        f"scene 'walk' (scenes[0]): windows.prompts[{window}]: it has 20,001 characters, and at most 20,000 are "
        "taken; shorten it"
    )


@pytest.mark.parametrize(
    ("scene", "said"),
    [
        (  # reelgen-micro continues by first frame but pins no last frame
            {"model": "reelgen-micro", "start_image": "end.png", "duration": 3.0},  # 2 windows of 25
            "end_image: reelgen-micro animates from a start image and cannot pin a last frame",
        ),
        (  # an extend never pins one
            {"model": "wan-vace-tiny"},
            "end_image: the scene is 3 windows, each an extend of the one before, and wan-vace-tiny cannot "
            "pin the last frame of an extend; leave end_image out, set windows.frames: 25 (one clip of the "
            "whole scene), fit the scene in one window (0.56s), or set windows.continuation: first_frame",
        ),
    ],
)
def test_an_end_image_the_last_window_cannot_pin_is_refused_before_any_window_renders(
    scene: dict[str, Any], said: str, tmp_path: Path
) -> None:
    # Only the last window of a long scene takes the end image, and only the first was checked: the
    # render failed there, after every window before it had rendered.
    long: dict[str, Any] = {
        "id": "walk",
        "prompt": "a walk",
        "duration": 1.5,
        "end_image": "end.png",
        **scene,
    }
    folder = make(tmp_path / "film", [long], defaults={"width": 64, "height": 64, "fps": 16})
    picture(folder.root / "end.png")
    with pytest.raises(InvalidRequest) as err:
        plan_project(folder)
    assert err.value.param == "scenes[0].end_image"
    assert err.value.message.startswith(f"scene 'walk' (scenes[0]): {said}")


def test_an_end_image_a_first_frame_model_pins_still_plans_a_long_scene(tmp_path: Path) -> None:
    long = {"id": "walk", "prompt": "a walk", "duration": 3.0, "model": "wan-i2v-tiny"}
    folder = make(tmp_path / "film", [{**long, "start_image": "end.png", "end_image": "end.png"}])
    picture(folder.root / "end.png")
    plan = plan_project(folder)[0].render
    assert plan is not None and len(plan.windows) == 3 and plan.end_image is not None


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (  # was "scenes: Input should be a valid list"
            "title: x\nscenes:\n  opening: {prompt: p, duration: 1}\n",
            "scenes: should be a list (each item on a line of its own starting with '- ', or [a, b]), "
            "not a mapping (name: value)",
        ),
        (
            "title: x\nscenes:\n  - {prompt: p, duration: 1, windows: {prompts: hello}}\n",
            "scene 'scene-1' (scenes[0]): windows.prompts: should be a list (each item on a line of its "
            "own starting with '- ', or [a, b]), not 'hello'",
        ),
        (  # was "prompt: Input should be a valid string"
            "title: x\nscenes:\n  - {prompt: [red, circle], duration: 1}\n",
            "scene 'scene-1' (scenes[0]): prompt: should be text, not a list; put it in quotes if it "
            "holds [ ] { } or ': '",
        ),
        ("title:\nscenes:\n  - {prompt: p, duration: 1}\n", "title: is empty; give text after the colon"),
    ],
)
def test_a_field_of_the_wrong_shape_is_told_what_it_was_given(text: str, said: str, tmp_path: Path) -> None:
    (tmp_path / "project.yaml").write_text(text)
    with pytest.raises(InvalidRequest) as err:
        plan_project(ProjectFolder.find(tmp_path))
    assert err.value.message == said


def test_the_project_s_reference_images_skip_scenes_whose_model_takes_none(tmp_path: Path) -> None:
    # The docs give them "to every scene whose model takes reference images", yet a wan-tiny scene
    # beside a VACE one was refused as "cannot take reference images"; its own still are.
    scenes = [
        {"id": "hero", "model": "wan-vace-tiny", "prompt": "a hero", "duration": 0.5},
        {"id": "street", "model": "wan-tiny", "prompt": "a street", "duration": 0.5},
    ]
    folder = make(tmp_path / "film", scenes, reference_images=["hero.png"])
    picture(folder.root / "hero.png")
    hero, street = (p.render for p in plan_project(folder))
    assert hero is not None and [Path(r).name for r in hero.first.reference_images] == ["hero.png"]
    assert street is not None and street.first.reference_images == ()
