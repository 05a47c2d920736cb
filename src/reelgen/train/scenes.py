"""Procedural scenes (coloured shapes moving over simple backgrounds) with captions, deterministic by seed.

A scene is sampled as plain data (:class:`Scene`) from a seeded ``random.Random``
and captioned from varied English templates; :mod:`reelgen.train.scene_render`
draws it (torch, so training renders thousands of clips per second on a GPU and
a test renders one on a CPU). Some (colour, shape, motion, background
colour) combinations are held out: training never shows them, so evaluation on
them measures whether the model composes words it has only seen apart.
"""

from __future__ import annotations

import math
import random
import zlib
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

# The words a caption may use are the model's (its tokenizer knows them whole), so they live with it.
from reelgen.core.backends.micro.vocabulary import vocabulary as vocabulary

#: Object colours: names the evaluator can tell apart, as sRGB.
OBJECT_COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (220, 38, 38),
    "orange": (245, 135, 20),
    "yellow": (245, 220, 40),
    "green": (34, 170, 60),
    "cyan": (40, 200, 220),
    "blue": (40, 80, 225),
    "purple": (140, 60, 200),
    "white": (245, 245, 245),
}
#: Background colours: darker or greyer than objects of the same name.
BACKGROUND_COLOURS: dict[str, tuple[int, int, int]] = {
    "black": (15, 15, 20),
    "gray": (120, 120, 125),
    "white": (232, 232, 228),
    "blue": (30, 60, 140),
    "green": (30, 105, 50),
    "red": (140, 30, 30),
    "yellow": (190, 170, 50),
    "purple": (85, 40, 125),
}
SHAPES = ("circle", "square", "triangle", "star")
DIRECTIONS = ("left", "right", "up", "down")
MOTIONS = (*DIRECTIONS, "bouncing", "growing", "shrinking", "rotating", "still")
BACKGROUND_KINDS = ("solid", "gradient", "stripes", "checker", "dots")
CAMERAS = ("none", "pan left", "pan right", "pan up", "pan down", "zoom in", "zoom out")
SIZES = {"small": 0.085, "": 0.115, "big": 0.15}  # circle-equivalent radius, as a share of the short side

#: (vertex count, inner radius / outer radius, outer radius vs a circle of the same size, base turn).
POLYGONS = {
    "square": (4, math.cos(math.pi / 4), 1.12, math.pi / 4),
    "triangle": (3, 0.5, 1.3, 0.0),
    "star": (5, 0.45, 1.3, 0.0),
}
_MIN_CONTRAST = 110.0  # RGB distance kept between an object and every background colour

_MOTION_WORDS: dict[str, tuple[str, ...]] = {
    "left": ("moves to the left", "moves left", "slides to the left", "drifts left", "travels to the left"),
    "right": (
        "moves to the right",
        "moves right",
        "slides to the right",
        "drifts right",
        "travels to the right",
    ),
    "up": ("moves up", "rises", "moves upward", "floats up", "slides up"),
    "down": ("moves down", "falls", "sinks", "moves downward", "slides down"),
    "bouncing": ("bounces", "is bouncing", "bounces up and down"),
    "growing": ("grows", "gets bigger", "grows larger"),
    "shrinking": ("shrinks", "gets smaller", "shrinks away"),
    "rotating": ("rotates", "spins", "turns around"),
    "still": ("stays still", "sits still", "does not move", "rests"),
}
_SPEED_WORDS = {"slow": ("slowly",), "fast": ("quickly", "fast")}
_CAMERA_WORDS = {
    "pan left": "the camera pans left",
    "pan right": "the camera pans right",
    "pan up": "the camera pans up",
    "pan down": "the camera pans down",
    "zoom in": "the camera slowly zooms in",
    "zoom out": "the camera slowly zooms out",
}
_BACKGROUND_WORDS = {
    "solid": ("a {a} background", "a plain {a} background", "a solid {a} background"),
    "gradient": ("a {a} to {b} gradient", "a gradient from {a} to {b}", "a {a} and {b} gradient background"),
    "stripes": ("a striped {a} background", "{a} stripes"),
    "checker": ("a checkered {a} background", "a {a} checkerboard"),
    "dots": ("a dotted {a} background", "a {a} background with dots"),
}
_TEMPLATES = (
    "{s} {m} over {b}",
    "{s} {m} on {b}",
    "{s} {m} against {b}",
    "{b} with {s} that {m}",
    "on {b}, {s} {m}",
)

Split = Literal["train", "heldout", "any"]


@dataclass(frozen=True)
class SceneObject:
    """One shape and how it moves; ``travel`` is the distance covered as a share of the short side."""

    shape: str
    colour: str
    size: str
    motion: str
    speed: str  # "slow", "", "fast"
    x: float  # start centre, share of width (0 left .. 1 right)
    y: float  # start centre, share of height (0 top .. 1 bottom)
    travel: float
    turn: float  # initial rotation in radians
    rgb: tuple[int, int, int]
    radius: float


@dataclass(frozen=True)
class Scene:
    """A whole clip: background, objects (the first is the dominant one, drawn on top), camera, caption."""

    background: str
    colour: str
    colour_2: str
    objects: tuple[SceneObject, ...]
    camera: str
    caption: str
    bg_angle: float = 0.0
    bg_period: float = 0.25

    @property
    def main(self) -> SceneObject:
        return self.objects[0]


def is_heldout(colour: str, shape: str, motion: str, background_colour: str) -> bool:
    """Whether this combination is reserved for evaluation (about one in seven; a stable hash)."""
    key = f"{colour}|{shape}|{motion}|{background_colour}".encode()
    return zlib.crc32(key) % 7 == 0


def _contrast(rgb: tuple[int, int, int], *others: tuple[int, int, int]) -> float:
    return min(math.dist(rgb, o) for o in others)


def heldout_directions() -> frozenset[tuple[str, str, str, str]]:
    """The held-out (colour, shape, direction, background colour) combinations a one-object scene can show:
    131 of the 154 held out, the rest being colours too close to their background to be drawn on it."""
    return frozenset(
        (colour, shape, direction, background)
        for colour, rgb in OBJECT_COLOURS.items()
        for shape in SHAPES
        for direction in DIRECTIONS
        for background, bg in BACKGROUND_COLOURS.items()
        if is_heldout(colour, shape, direction, background) and _contrast(rgb, bg) >= _MIN_CONTRAST
    )


def _object(rng: random.Random, colour: str, shape: str, motion: str, size: str | None = None) -> SceneObject:
    size = rng.choice(list(SIZES)) if size is None else size
    radius = SIZES[size] * rng.uniform(0.92, 1.08)
    speed = rng.choice(("slow", "", "", "fast")) if motion in DIRECTIONS else ""
    travel = {"slow": 0.32, "": 0.48, "fast": 0.62}[speed] * rng.uniform(0.92, 1.08)
    margin = radius * 1.35 + 0.02  # stars and triangles reach 1.3 radii from their centre
    lo, hi = margin, 1 - margin
    travel = min(travel, hi - lo)
    x, y = rng.uniform(lo, hi), rng.uniform(lo, hi)
    if motion in DIRECTIONS:
        axis_lo, axis_hi = (lo + travel, hi) if motion in ("left", "up") else (lo, hi - travel)
        start = rng.uniform(axis_lo, axis_hi)
        x, y = (start, y) if motion in ("left", "right") else (x, start)
    elif motion == "bouncing":
        y = rng.uniform(max(0.55, lo + 0.3), hi)
    elif motion == "growing":
        x, y = rng.uniform(0.38, 0.62), rng.uniform(0.38, 0.62)
    turn = rng.uniform(-0.35, 0.35)
    jitter = tuple(int(np.clip(c + rng.randint(-10, 10), 0, 255)) for c in OBJECT_COLOURS[colour])
    return SceneObject(shape, colour, size, motion, speed, x, y, travel, turn, jitter, radius)  # type: ignore[arg-type]


def _allowed_colours(bg: tuple[int, int, int], bg2: tuple[int, int, int], exclude: set[str]) -> list[str]:
    return [
        c
        for c, rgb in OBJECT_COLOURS.items()
        if c not in exclude and _contrast(rgb, bg, bg2) >= _MIN_CONTRAST
    ]


def sample_scene(
    rng: random.Random,
    split: Split = "train",
    *,
    objects: int | None = None,
    motions: tuple[str, ...] = MOTIONS,
    camera: bool = True,
    backgrounds: tuple[str, ...] = BACKGROUND_KINDS,
    object_weights: tuple[float, float, float] = (60, 28, 12),
    camera_share: float = 0.2,
) -> Scene:
    """A random scene; ``split`` keeps held-out combinations out of ("train") or only in ("heldout").

    ``object_weights`` are the odds of one, two or three objects when ``objects``
    is not given, and ``camera_share`` the share of clips with a camera move.
    """
    while True:
        kind = rng.choice(backgrounds)
        colour = rng.choice(list(BACKGROUND_COLOURS))
        colour_2 = (
            rng.choice([c for c in BACKGROUND_COLOURS if c != colour]) if kind == "gradient" else colour
        )
        bg, bg2 = BACKGROUND_COLOURS[colour], BACKGROUND_COLOURS[colour_2]
        count = objects or rng.choices((1, 2, 3), weights=object_weights)[0]
        chosen: list[SceneObject] = []
        for i in range(count):
            names = _allowed_colours(bg, bg2, {o.colour for o in chosen})
            if not names:
                break
            obj_colour, shape = rng.choice(names), rng.choice(SHAPES)
            # A turning circle looks still, so circles never get "rotating".
            motion = rng.choice([m for m in motions if shape != "circle" or m != "rotating"] or motions)
            held = is_heldout(obj_colour, shape, motion, colour)
            if (split == "train" and held) or (split == "heldout" and i == 0 and not held):
                break
            size = None if i == 0 else rng.choice(("small", ""))
            chosen.append(_object(rng, obj_colour, shape, motion, size))
        if len(chosen) == count:
            break
    cam = rng.choice(CAMERAS[1:]) if camera and rng.random() < camera_share else "none"
    scene = Scene(
        kind, colour, colour_2, tuple(chosen), cam, "", rng.uniform(0, math.pi), rng.uniform(0.18, 0.32)
    )
    return replace(scene, caption=caption(scene, rng))


def scene_for_seed(seed: int, split: Split = "train", **kwargs: object) -> Scene:
    """The scene of ``seed``: the same seed always gives the same scene and caption."""
    return sample_scene(random.Random(seed), split, **kwargs)  # type: ignore[arg-type]


def _subject(obj: SceneObject) -> str:
    words = " ".join(w for w in (obj.size, obj.colour, obj.shape) if w)
    return ("an " if words[0] in "aeiou" else "a ") + words


def _motion_phrase(obj: SceneObject, rng: random.Random) -> str:
    phrase = rng.choice(_MOTION_WORDS[obj.motion])
    if obj.speed:
        adverb = rng.choice(_SPEED_WORDS[obj.speed])
        phrase = f"{adverb} {phrase}" if rng.random() < 0.5 else f"{phrase} {adverb}"
    return phrase


def background_phrase(scene: Scene, rng: random.Random) -> str:
    return rng.choice(_BACKGROUND_WORDS[scene.background]).format(a=scene.colour, b=scene.colour_2)


def caption(scene: Scene, rng: random.Random) -> str:
    """An English caption for ``scene`` from one of several templates; the dominant object comes first."""
    pairs = [(_subject(o), _motion_phrase(o, rng)) for o in scene.objects]
    rest = "".join(
        (" and " if i == len(pairs) - 1 else ", ") + f"{s} {m}" for i, (s, m) in enumerate(pairs[1:], start=1)
    )
    template = rng.choice(_TEMPLATES) if len(pairs) == 1 else "{s} {m} over {b}"
    text = template.format(s=pairs[0][0], m=pairs[0][1] + rest, b=background_phrase(scene, rng))
    if scene.camera != "none":
        text += rng.choice((", ", " while ", " as ")) + _CAMERA_WORDS[scene.camera]
    return text
