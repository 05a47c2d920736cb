"""The ``Enhancer`` contract: one stage (interpolate, upscale ...) that turns a Video into a better one."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar, Literal

from pydantic import BaseModel

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

    def record(self) -> dict[str, Any]:
        """What the stage did, for the video's metadata (method, weights and their hashes)."""
        return {"name": self.name, "stage": self.stage, "options": self.options.model_dump(mode="json")}
