"""A test backend for the job service: real render plumbing, slow steps, a picture from the start image.

It is shipped into the Ray workers by value (``cloudpickle``) and registered
there by ``register_in_worker``, the way a plugin without an entry point is.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict

from reelgen.core.backends.base import Backend, BackendInfo, Preset
from reelgen.core.progress import Progress
from reelgen.core.spec import registry
from reelgen.core.spec.memory import MemoryPlan
from reelgen.core.spec.request import GenerationRequest, Task
from reelgen.core.spec.rules import SizeRules
from reelgen.core.types import Video, to_fraction
from reelgen.core.weights import WeightSource

MODEL = "jobtest-tiny"


class JobTestOptions(BaseModel):
    """``step_delay``: seconds each step takes; ``black``: return all-black frames (a NaN model)."""

    model_config = ConfigDict(extra="forbid")

    step_delay: float = 0.0
    black: bool = False


PRESET = Preset(
    name=MODEL,
    family="jobtest",
    description="job service test double",
    repo_id=None,
    tasks=frozenset({Task.T2V, Task.I2V}),
    width=32,
    height=32,
    num_frames=5,
    fps=8.0,
    steps=3,
    guidance=1.0,
    parts_gib={"transformer": 0.01},
    tiny=True,
)


class JobTestBackend(Backend):
    """Frames are a colour ramp keyed by seed (or the start image's colour); steps can be slow."""

    info = BackendInfo(
        family="jobtest",
        label="Job test",
        tasks=frozenset({Task.T2V, Task.I2V}),
        presets=(PRESET,),
        rules=SizeRules(label="Job test", multiple=16),
        options=JobTestOptions,
    )

    @classmethod
    def build_tiny(cls, preset: Preset, folder: Path) -> None:
        (folder / "model_index.json").write_text(json.dumps({"_class_name": "JobTest"}))

    def load(self, source: WeightSource, plan: MemoryPlan) -> None:
        self.pipe = object()

    def generate(self, request: GenerationRequest, progress: Progress) -> Video:
        options = JobTestOptions.model_validate(request.options)
        steps, frames = request.steps or 1, request.num_frames or 1
        size = (request.height or 32, request.width or 32)
        base = np.array([(request.seed or 0) % 200 + 40, 90, 160], dtype=np.float32)
        if request.start_image:
            from reelgen.core.media import load_fitted

            image = np.asarray(load_fitted(request.start_image, size[1], size[0]), dtype=np.float32)
            base = image.reshape(-1, 3).mean(axis=0)
        ramp = np.linspace(0.8, 1.2, frames, dtype=np.float32)[:, None, None, None]
        clip = np.clip(np.broadcast_to(base, (frames, *size, 3)) * ramp, 0, 255).astype(np.uint8)
        tracker = progress.stage("denoise", steps)
        for step in range(steps):
            time.sleep(options.step_delay)
            tracker.advance(step + 1, lambda: clip[:1, :8, :8])
        if options.black:
            clip = np.zeros_like(clip)
        return Video(np.ascontiguousarray(clip), to_fraction(request.fps or 8))


def register_in_worker() -> None:
    """Worker setup hook: make the test family known in this process."""
    registry.register(JobTestBackend)
