"""The ``Enhancer`` contract: one stage (interpolate, upscale ...) that turns a Video into a better one."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import BaseModel

from reelgen.core.errors import GenerationFailed
from reelgen.core.progress import Progress
from reelgen.core.spec.request import NoOptions
from reelgen.core.types import Video

Stage = Literal["interpolate", "upscale", "filter"]


@dataclass(frozen=True)
class Shape:
    """What a clip looks like between stages: size, frame count and exact frame rate."""

    width: int
    height: int
    frames: int
    fps: Fraction


class Enhancer(ABC):
    """A stage of the enhancement chain, registered in the ``reelgen.enhancers`` entry-point group.

    Subclasses set ``name``, ``stage`` and ``options_model`` and implement
    ``output_shape`` (pure: what the stage makes of a clip, or ``InvalidRequest``
    when it cannot) and ``apply``. Heavy imports (torch, weights) happen in
    ``apply``, so resolving a request never loads them. ``missing`` says what the
    stage still needs on this machine (weights, a package), or None when ready.
    """

    name: ClassVar[str]
    stage: ClassVar[Stage]
    options_model: ClassVar[type[BaseModel]] = NoOptions
    description: ClassVar[str] = ""

    def __init__(self, options: BaseModel | None = None) -> None:
        self.options = options if options is not None else self.options_model()

    @classmethod
    def missing(cls) -> str | None:
        """Why this stage cannot run here (e.g. weights not pulled), or None when it can."""
        return None

    @abstractmethod
    def output_shape(self, shape: Shape) -> Shape:
        """The clip this stage makes from one of ``shape``; raise ``InvalidRequest`` if it cannot."""

    def preflight(self) -> None:
        """Check what only loading tells (a checkpoint's architecture and scale); InvalidRequest if it cannot work.

        ``output_shape`` stays pure (no torch). A chain calls this on every stage before
        the first one runs, so an upscaler checkpoint that cannot work is refused before
        minutes of interpolation, not after them. The default has nothing to load.
        """
        return None

    @abstractmethod
    def apply(self, video: Video, progress: Progress, device: str = "cpu") -> Video:
        """Run the stage; report per-frame progress through ``progress``."""

    def stream(
        self, frames: Iterator[np.ndarray], shape: Shape, progress: Progress, device: str = "cpu"
    ) -> Iterator[np.ndarray]:
        """The stage's output frames, made as the frames of a clip of ``shape`` come in.

        ``reelgen enhance`` chains stages this way, so a long clip is never held
        whole. This default gathers the clip and runs ``apply``, which is right for
        any stage; the built-in ones override it to hold only the few frames they
        need at a time. ``shape.frames`` is what the container promised: use it
        for progress, never to decide what to make.
        """
        yield from self.apply(Video(np.stack(list(frames)), shape.fps), progress, device).frames

    def record(self) -> dict[str, Any]:
        """What the stage did, for the video's metadata (method, weights and their hashes)."""
        return {"name": self.name, "stage": self.stage, "options": self.options.model_dump(mode="json")}


class StreamingEnhancer(Enhancer):
    """A stage whose work is ``stream``: frames in, frames out, a few at a time; ``apply`` gathers them."""

    def apply(self, video: Video, progress: Progress, device: str = "cpu") -> Video:
        shape = Shape(video.width, video.height, video.num_frames, video.fps)
        return collect(
            self.stream(iter(video.frames), shape, progress, device), self.output_shape(shape), video
        )

    @abstractmethod
    def stream(
        self, frames: Iterator[np.ndarray], shape: Shape, progress: Progress, device: str = "cpu"
    ) -> Iterator[np.ndarray]: ...


def batches(frames: Iterable[np.ndarray], size: int) -> Iterator[np.ndarray]:
    """``frames`` stacked ``size`` at a time (the last batch may be smaller)."""
    batch: list[np.ndarray] = []
    for frame in frames:
        batch.append(frame)
        if len(batch) == size:
            yield np.stack(batch)
            batch = []
    if batch:
        yield np.stack(batch)


def collect(frames: Iterable[np.ndarray], shape: Shape, like: Video) -> Video:
    """A streamed stage's frames as one clip of ``shape`` (what ``apply`` returns), audio kept from ``like``."""
    out = np.empty((shape.frames, shape.height, shape.width, 3), dtype=np.uint8)
    count = 0
    for count, frame in enumerate(frames, start=1):
        if count > shape.frames:
            raise GenerationFailed(f"a stage made more than the {shape.frames} frames it promised")
        out[count - 1] = frame
    return Video(out[:count], shape.fps, like.audio, dict(like.extra))
