"""The prompt-adherence evaluator on procedural clips whose colour, shape and motion are known."""

from __future__ import annotations

import random

import numpy as np
import pytest

from reelgen.train import adherence, scene_render, scenes


def _scene(motion: str, shape: str, seed: int) -> scenes.Scene:
    rng = random.Random(seed)
    while True:
        scene = scenes.sample_scene(rng, "any", objects=1, motions=(motion,), camera=False)
        if scene.main.shape == shape:
            return scene


@pytest.mark.parametrize("seed", range(12))
def test_recovers_colour_shape_and_motion_of_random_scenes(seed: int) -> None:
    scene = scenes.scene_for_seed(seed, "any", objects=1, camera=False)
    found = adherence.analyze_clip(scene_render.render_scene(scene, 64, 64, 9))
    main = scene.main
    assert (found.colour, found.shape, found.motion) == (main.colour, main.shape, main.motion), scene.caption


@pytest.mark.parametrize(
    ("motion", "shape"),
    [
        ("left", "star"),
        ("right", "triangle"),
        ("up", "square"),
        ("down", "circle"),
        ("bouncing", "circle"),
        ("growing", "square"),
        ("shrinking", "star"),
        ("rotating", "triangle"),
        ("still", "square"),
    ],
)
def test_names_each_kind_of_motion(motion: str, shape: str) -> None:
    scene = _scene(motion, shape, seed=5)
    found = adherence.analyze_clip(scene_render.render_scene(scene, 64, 64, 17))
    assert (found.motion, found.shape) == (motion, shape), scene.caption


def test_survives_blur_and_noise_like_a_model_output() -> None:
    from PIL import Image, ImageFilter

    for seed in range(4):
        scene = scenes.scene_for_seed(100 + seed, "any", objects=1, camera=False)
        clip = scene_render.render_scene(scene, 96, 96, 17)
        soft = np.stack([np.asarray(Image.fromarray(f).filter(ImageFilter.GaussianBlur(1.2))) for f in clip])
        noisy = np.clip(soft + np.random.default_rng(seed).normal(0, 6, soft.shape), 0, 255).astype(np.uint8)
        found = adherence.analyze_clip(noisy)
        main = scene.main
        assert (found.colour, found.shape, found.motion) == (main.colour, main.shape, main.motion), (
            scene.caption
        )


def test_dominant_object_is_the_largest_of_several() -> None:
    rng = random.Random(9)
    while True:
        scene = scenes.sample_scene(rng, "any", objects=2, camera=False, motions=("left", "right"))
        if scene.main.size == "big" and scene.objects[1].size == "small":
            break
    found = adherence.analyze_clip(scene_render.render_scene(scene, 64, 64, 9))
    assert (found.colour, found.motion) == (scene.main.colour, scene.main.motion)


def test_a_clip_with_no_object_reports_none() -> None:
    blank = np.full((9, 64, 64, 3), 90, np.uint8)
    found = adherence.analyze_clip(blank)
    assert (found.colour, found.shape, found.motion, found.seen) == (None, None, None, 0.0)


def test_summary_counts_hits_per_check() -> None:
    def result(colour: str, motion: str) -> adherence.AdherenceResult:
        seen = adherence.ObjectAnalysis(colour, "circle", motion, (0, 0, 0), 1.0, (0.0, 0.0))
        return adherence.AdherenceResult("p", 0, {"colour": "red", "shape": "circle", "motion": "left"}, seen)

    summary = adherence.adherence_summary(
        [result("red", "left"), result("red", "right"), result("blue", "left"), result("red", "left")]
    )
    assert summary["prompts"] == 4
    assert summary["colour_correct"] == 0.75
    assert summary["direction_correct"] == 0.75
    assert summary["all_correct"] == 0.5
    assert summary["confusion"]["motion:left"] == {"left": 3, "right": 1}


def test_colour_names_follow_the_palette() -> None:
    for name, rgb in scenes.OBJECT_COLOURS.items():
        assert adherence.name_colour(rgb) == name
        assert adherence.name_colour(np.clip(np.add(rgb, 12), 0, 255)) == name


def test_an_object_seen_in_one_frame_has_no_motion() -> None:
    clip = np.full((9, 64, 64, 3), 90, np.uint8)
    clip[0, 20:36, 20:36] = scenes.OBJECT_COLOURS["red"]
    found = adherence.analyze_clip(clip)
    assert (found.colour, found.motion) == ("red", None)


def test_frames_of_noise_report_no_object() -> None:
    noise = np.random.default_rng(0).integers(0, 256, (9, 64, 64, 3), dtype=np.uint8)
    found = adherence.analyze_clip(noise)
    assert (found.colour, found.shape, found.motion, found.seen) == (None, None, None, 0.0)
    assert (
        adherence.adherence_summary(
            [adherence.AdherenceResult("a red circle moves left", 0, {"colour": "red"}, found)]
        )["object_found"]
        == 0.0
    )
