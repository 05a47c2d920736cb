"""The project file (a storyboard): title, defaults, scenes, soundtrack and export settings, as validated data.

A project is YAML on disk (``project.yaml``) and these pydantic models in
memory; ``project_schema()`` is the JSON schema the docs publish. Shapes and
ranges are checked here; what needs a model's rules (sizes, frame counts,
tasks) is checked when the scenes are planned (``plan.py``).
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import ConfigDict, Field, field_validator, model_validator

from reelgen.core.export.settings import ExportSettings, Soundtrack, TitleCard, Transition
from reelgen.core.spec.lora_once import loras_once
from reelgen.core.spec.numbers import NumberFields
from reelgen.core.spec.request import (
    MAX_REFERENCE_IMAGES,
    SEED_LIMIT,
    EnhanceStep,
    Keyframe,
    LoraSpec,
    file_named,
    slow_rate,
)

#: Scene ids name clips and appear in commands; they stay plain (``\Z``: ``$`` let ``"a\n"`` through).
SCENE_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}\Z")


class SeedPolicy(StrEnum):
    """How scenes without their own seed get one (always recorded, so renders repeat)."""

    FIXED = "fixed"  # every scene uses defaults.seed
    PER_SCENE = "per_scene"  # defaults.seed mixed with the scene id: differs per scene, stable when reordered


class Continuation(StrEnum):
    """How a window after the first continues the one before it."""

    AUTO = "auto"  # extend where the model can (LTX, SkyReels-V2, Wan VACE), else first frame (i2v)
    EXTEND = "extend"  # the model continues the previous window's last frames
    FIRST_FRAME = "first_frame"  # the previous window's last frame starts the next (image to video)


class _Strict(NumberFields):
    # NaN fails every bound, so without allow_inf_nan a `duration: .nan` read "should be less than or equal to 3600".
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Defaults(_Strict):
    """What every scene uses unless it says otherwise; unset fields take the model's own defaults."""

    model: str = Field(default="reelgen-micro", min_length=1, max_length=200)
    width: int | None = Field(default=None, gt=0, le=16_384)
    height: int | None = Field(default=None, gt=0, le=16_384)
    fps: float | None = Field(default=None, gt=0, le=240)
    _slow_rate = field_validator("fps")(slow_rate)  # a frame per 100 s at the slowest
    steps: int | None = Field(default=None, gt=0, le=1000)
    guidance: float | None = Field(default=None, ge=0, le=100)
    negative_prompt: str = Field(default="", max_length=20_000)
    seed: int = Field(default=0, ge=0, lt=SEED_LIMIT)
    seed_policy: SeedPolicy = SeedPolicy.PER_SCENE
    enhance: list[EnhanceStep] = Field(default_factory=list, description="Enhancement chain of every scene")


class Windows(_Strict):
    """How a scene longer than its model's window is made: overlapping windows, each continuing the last."""

    frames: int | None = Field(
        default=None,
        gt=0,
        le=100_000,
        description="Frames per window; default: the model's usual clip length",
    )
    # As long as a scene's prompt may be: a longer one was an internal error, at its window mid-render.
    prompts: list[Annotated[str, Field(max_length=20_000)]] = Field(
        default_factory=list, description="Prompt of each window in turn; the scene's prompt after these"
    )
    continuation: Continuation = Continuation.AUTO
    colour_match: bool = Field(
        default=True, description="Match each window's colour statistics to the one before over the overlap"
    )
    overlap: int = Field(
        default=8, ge=1, le=64, description="Frames compared on each side of a window boundary (extend)"
    )


class Scene(_Strict):
    """One shot: rendered by a model from a prompt, or a title card drawn at export."""

    id: str | None = Field(default=None, description="Names the scene's clip; default scene-N")
    prompt: str | None = Field(default=None, max_length=20_000)
    negative_prompt: str | None = Field(default=None, max_length=20_000)
    duration: float = Field(gt=0, le=3600, description="Seconds")
    model: str | None = Field(default=None, max_length=200, description="Overrides defaults.model")
    start_image: str | None = None
    end_image: str | None = None
    keyframes: list[Keyframe] = Field(default_factory=list, description="Frame indices within the scene")
    reference_images: list[str] | None = Field(
        default=None,
        max_length=MAX_REFERENCE_IMAGES,
        description="Replaces the project's reference images for this scene ([] for none)",
    )
    seed: int | None = Field(default=None, ge=0, lt=SEED_LIMIT)
    steps: int | None = Field(default=None, gt=0, le=1000)
    guidance: float | None = Field(default=None, ge=0, le=100)
    loras: list[LoraSpec] = Field(default_factory=list)
    options: dict[str, Any] = Field(default_factory=dict, description="Model options (see `reelgen models`)")
    enhance: list[EnhanceStep] | None = Field(default=None, description="Replaces defaults.enhance")
    windows: Windows = Field(default_factory=Windows)
    title_card: TitleCard | None = None
    transition: Transition = Field(default_factory=Transition, description="Into the next scene")

    _file_named = field_validator("start_image", "end_image")(file_named)
    _loras_once = field_validator("loras")(loras_once)  # said in the project file's words, not at planning

    @field_validator("id")
    @classmethod
    def _plain_id(cls, value: str | None) -> str | None:
        if value is not None and not SCENE_ID.match(value):
            raise ValueError(f"{value!r} is not a scene id: {_id_fault(value)}")
        return value


def _id_fault(value: str) -> str:
    """Which rule of a scene id ``value`` breaks: a 65-letter id or one starting with - was told only
    to use letters, digits, - and _, which it did."""
    rule = "use lower-case letters, digits, - and _ (e.g. opening-shot)"
    others = sorted({c for c in value if not re.fullmatch(r"[a-z0-9_-]", c)})
    if not value:
        return f"it is empty; {rule}"
    if others:
        return f"{', '.join(map(repr, others))} cannot be in one; {rule}"
    if len(value) > 64:
        return f"it is {len(value)} characters long, and an id has at most 64"
    return f"it starts with {value[0]!r}; an id starts with a letter or a digit"


class Project(_Strict):
    """A storyboard: scenes rendered once each, exported as often as wanted."""

    title: str = Field(min_length=1, max_length=300)
    defaults: Defaults = Field(default_factory=Defaults)
    reference_images: list[str] = Field(
        default_factory=list,
        max_length=MAX_REFERENCE_IMAGES,
        description="For every scene (models that take them)",
    )
    scenes: list[Scene] = Field(min_length=1)
    soundtrack: Soundtrack | None = None
    export: ExportSettings = Field(default_factory=ExportSettings)

    @field_validator("title")
    @classmethod
    def _title_said(cls, value: str) -> str:
        # `title: " "` was taken: a film named export.mp4 with a blank title in its metadata.
        if not value.strip():
            raise ValueError("is only spaces; give the film's title")
        return value

    @model_validator(mode="after")
    def _scene_ids(self) -> Project:
        """Scenes without an id get scene-N (by position); ``check`` refuses two scenes with one id."""
        for i, scene in enumerate(self.scenes):
            if scene.id is None:
                scene.id = f"scene-{i + 1}"
        return self

    def scene_ids(self) -> list[str]:
        return [str(s.id) for s in self.scenes]


def project_schema() -> dict[str, Any]:
    """The JSON schema of the project file (published in docs/storyboards.md)."""
    schema = Project.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "reelgen project"
    return schema
