"""The procedural scene generator: deterministic by seed, captions that say what is drawn, held-out combinations."""

from __future__ import annotations

import random

import numpy as np

from reelgen.core.backends.micro.build import build_tokenizer
from reelgen.core.backends.micro.vocabulary import vocabulary
from reelgen.train import scene_render, scenes


def test_same_seed_same_scene_caption_and_pixels() -> None:
    first, again = scenes.scene_for_seed(42), scenes.scene_for_seed(42)
    assert first == again
    assert np.array_equal(
        scene_render.render_scene(first, 64, 64, 9), scene_render.render_scene(again, 64, 64, 9)
    )
    other = scenes.scene_for_seed(43)
    assert other.caption != first.caption
    assert not np.array_equal(
        scene_render.render_scene(other, 64, 64, 9), scene_render.render_scene(first, 64, 64, 9)
    )


def test_caption_names_the_dominant_object_and_background() -> None:
    rng = random.Random(0)
    for _ in range(200):
        scene = scenes.sample_scene(rng)
        main = scene.main
        assert scene.caption.split().count(main.colour) >= 1
        assert main.shape in scene.caption
        assert scene.colour in scene.caption
        # The dominant object is named first.
        assert scene.caption.index(main.shape) <= min(scene.caption.index(o.shape) for o in scene.objects)


def test_every_caption_word_is_one_token() -> None:
    tokenizer = build_tokenizer()
    rng = random.Random(1)
    for _ in range(200):
        caption = scenes.sample_scene(rng).caption
        words = caption.replace(",", " ").split()
        pieces = tokenizer.convert_ids_to_tokens(tokenizer(caption.replace(",", " ")).input_ids)
        assert pieces[:-1] == ["\u2581" + w for w in words], caption


def test_every_word_a_caption_can_use_is_in_the_models_vocabulary() -> None:
    # The shipped tokenizer's word list is fixed with its weights; a new caption word would be unknown to it.
    phrases = [
        *sum(scenes._MOTION_WORDS.values(), ()),
        *sum(scenes._SPEED_WORDS.values(), ()),
        *scenes._CAMERA_WORDS.values(),
        *sum(scenes._BACKGROUND_WORDS.values(), ()),
        *scenes._TEMPLATES,
        *scenes.SIZES,
        *scenes.SHAPES,
        *scenes.OBJECT_COLOURS,
        *scenes.BACKGROUND_COLOURS,
        "a an and while as",  # what caption() itself adds between the pieces
    ]
    words = {w.strip(",") for text in phrases for w in text.split() if "{" not in w} - {""}
    assert words - set(vocabulary()) == set()


def test_training_split_never_shows_a_heldout_combination() -> None:
    rng = random.Random(2)
    for _ in range(500):
        scene = scenes.sample_scene(rng, "train")
        for obj in scene.objects:
            assert not scenes.is_heldout(obj.colour, obj.shape, obj.motion, scene.colour)
    held = [scenes.sample_scene(rng, "heldout", objects=1) for _ in range(50)]
    assert all(scenes.is_heldout(s.main.colour, s.main.shape, s.main.motion, s.colour) for s in held)


def test_objects_stand_out_from_the_background() -> None:
    rng = random.Random(3)
    for _ in range(100):
        scene = scenes.sample_scene(rng, objects=1)
        bg = {scenes.BACKGROUND_COLOURS[scene.colour], scenes.BACKGROUND_COLOURS[scene.colour_2]}
        assert (
            min(np.linalg.norm(np.subtract(scenes.OBJECT_COLOURS[scene.main.colour], c)) for c in bg) >= 100
        )


def test_render_moves_the_object_the_way_the_caption_says() -> None:
    rng = random.Random(4)
    scene = scenes.sample_scene(rng, objects=1, motions=("right",), camera=False, backgrounds=("solid",))
    clip = scene_render.render_scene(scene, 64, 64, 9).astype(int)
    assert clip.shape == (9, 64, 64, 3)
    target = np.array(scene.main.rgb)
    xs = [np.nonzero(np.abs(frame - target).sum(-1) < 30)[1].mean() for frame in clip[[0, -1]]]
    assert xs[1] - xs[0] > 0.2 * 64
