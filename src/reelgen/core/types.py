"""Values that cross every boundary: the generation request and the Video it becomes."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class Task(StrEnum):
    """What a request asks the model to do."""

    T2V = "t2v"  # text to video
    I2V = "i2v"  # start image (and optionally end image) to video
    V2V = "v2v"  # restyle a source video
    KEYFRAMES = "keyframes"  # images pinned at frame indices
    EXTEND = "extend"  # continue a source clip forward
    AUDIO = "audio"  # video with generated sound
    AVATAR = "avatar"  # talking head from a face and a voice


class Keyframe(BaseModel):
    """An image the video must pass through at ``frame``, with conditioning ``strength``."""

    model_config = ConfigDict(extra="forbid")

    image: str
    frame: int = Field(ge=0)
    strength: float = Field(default=1.0, ge=0.0, le=1.0)


class LoraSpec(BaseModel):
    """A LoRA file (or hub id) applied with ``strength``."""

    model_config = ConfigDict(extra="forbid")

    path: str
    strength: float = 1.0
    weight_name: str | None = None


class GenerationRequest(BaseModel):
    """Everything that decides a video. Unset fields take the model preset's defaults.

    Images and videos are referenced by path so a request serialises to JSON
    and can be replayed from an MP4's metadata.
    """

    model_config = ConfigDict(extra="forbid")

    model: str
    prompt: str = ""
    task: Task | None = None
    negative_prompt: str | None = None
    width: int | None = Field(default=None, gt=0)
    height: int | None = Field(default=None, gt=0)
    num_frames: int | None = Field(default=None, gt=0)
    seconds: float | None = Field(default=None, gt=0)
    fps: float | None = Field(default=None, gt=0)
    steps: int | None = Field(default=None, gt=0, le=1000)
    guidance: float | None = Field(default=None, ge=0)
    guidance_2: float | None = Field(default=None, ge=0)
    seed: int | None = Field(default=None, ge=0, lt=2**63)
    start_image: str | None = None
    end_image: str | None = None
    keyframes: list[Keyframe] = Field(default_factory=list)
    source_video: str | None = None
    source_strength: float = Field(default=0.7, ge=0.0, le=1.0)
    loras: list[LoraSpec] = Field(default_factory=list)
    weights: str | None = None
    audio: bool = True
    options: dict[str, Any] = Field(default_factory=dict)

    @field_validator("model")
    @classmethod
    def _model_named(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("model must name a model, e.g. 'ltx-tiny' (see `reelgen models`)")
        return value.strip()

    @model_validator(mode="after")
    def _frames_or_seconds(self) -> GenerationRequest:
        if self.num_frames is not None and self.seconds is not None:
            raise ValueError("give num_frames or seconds, not both")
        return self

    def inferred_task(self) -> Task:
        """The task asked for, or the one the given inputs imply."""
        if self.task is not None:
            return self.task
        if self.keyframes:
            return Task.KEYFRAMES
        if self.source_video:
            return Task.V2V
        if self.start_image:
            return Task.I2V
        return Task.T2V


@dataclass(frozen=True)
class Audio:
    """Sound samples in [-1, 1], shaped (channels, samples)."""

    samples: np.ndarray
    sample_rate: int

    @property
    def seconds(self) -> float:
        return self.samples.shape[-1] / self.sample_rate


@dataclass(frozen=True)
class Video:
    """uint8 RGB frames shaped (T, H, W, 3) at an exact frame rate, with optional audio."""

    frames: np.ndarray
    fps: Fraction
    audio: Audio | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        f = self.frames
        if f.dtype != np.uint8 or f.ndim != 4 or f.shape[-1] != 3:
            raise ValueError(f"Video frames must be uint8 (T, H, W, 3), got {f.dtype} {f.shape}")

    @property
    def num_frames(self) -> int:
        return int(self.frames.shape[0])

    @property
    def width(self) -> int:
        return int(self.frames.shape[2])

    @property
    def height(self) -> int:
        return int(self.frames.shape[1])

    @property
    def seconds(self) -> float:
        return float(self.num_frames / self.fps)


def to_fraction(fps: float | Fraction) -> Fraction:
    """An exact frame rate: 23.976 becomes 24000/1001, 25.0 becomes 25."""
    if isinstance(fps, Fraction):
        return fps
    for ntsc in (24, 30, 60):
        if abs(fps - ntsc * 1000 / 1001) < 1e-3:
            return Fraction(ntsc * 1000, 1001)
    return Fraction(fps).limit_denominator(1001)
