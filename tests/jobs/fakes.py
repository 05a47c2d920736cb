"""Test doubles of the job service: a jobtest family (real render plumbing, slow steps) and a fan-out parent.

The family is shipped into the Ray workers by value (``cloudpickle``) and registered
there by ``register_in_worker``, the way a plugin without an entry point is. The
parent kind runs only in the test process (parents run no model).
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from reelgen.core.backends.base import Runner
from reelgen.core.progress import Progress
from reelgen.core.spec import registry, resolve
from reelgen.core.spec.family import FamilySpec, Preset
from reelgen.core.spec.memory import MemoryPlan
from reelgen.core.spec.request import GenerationRequest, ResolvedRequest, Task
from reelgen.core.spec.rules import SizeRules
from reelgen.core.types import Video, to_fraction
from reelgen.core.weights import WeightSource
from reelgen.jobs import kinds
from reelgen.jobs.records import Facts, Job

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


class JobTestRunner(Runner):
    """Frames are a colour ramp keyed by seed (or the start image's colour); steps can be slow."""

    uses_hub_libraries = False  # numpy frames: its worker never imports diffusers or transformers

    def load(self, source: WeightSource, plan: MemoryPlan) -> None:
        self.loaded_from = source.path

    def generate(self, request: ResolvedRequest, progress: Progress) -> Video:
        options = request.options_as(JobTestOptions)
        size = (request.height, request.width)
        base = np.array([request.seed % 200 + 40, 90, 160], dtype=np.float32)
        if request.start_image:
            from reelgen.core.media import load_fitted

            image = np.asarray(load_fitted(request.start_image, size[1], size[0]), dtype=np.float32)
            base = image.reshape(-1, 3).mean(axis=0)
        ramp = np.linspace(0.8, 1.2, request.num_frames, dtype=np.float32)[:, None, None, None]
        clip = np.clip(np.broadcast_to(base, (request.num_frames, *size, 3)) * ramp, 0, 255).astype(np.uint8)
        tracker = progress.stage("denoise", request.steps)
        for step in range(request.steps):
            time.sleep(options.step_delay)
            tracker.advance(step + 1, lambda: clip[:1, :8, :8])
        if options.black:
            clip = np.zeros_like(clip)
        return Video(np.ascontiguousarray(clip), to_fraction(request.fps))


def build_tiny(preset: Preset, folder: Path) -> None:
    (folder / "model_index.json").write_text(json.dumps({"_class_name": "JobTest"}))


SPEC = FamilySpec(
    family="jobtest",
    label="Job test",
    presets=(PRESET,),
    rules=SizeRules(label="Job test", multiple=16),
    runner=JobTestRunner,
    tiny_builder=build_tiny,
    options=JobTestOptions,
)


def register_in_worker() -> None:
    """Worker setup hook: make the test family known in this process."""
    registry.register(SPEC)


def resolved(**fields: object) -> ResolvedRequest:
    """A jobtest request resolved as the API and CLI do, once at the edge."""
    return resolve(GenerationRequest.model_validate({"model": MODEL, **fields}))


# ---- a parent kind --------------------------------------------------------------------------


class FanOutPayload(BaseModel):
    """Render ``count`` clips of ``prompt``; ``black`` lists the children made of black frames."""

    model_config = ConfigDict(extra="forbid")

    count: int = Field(ge=1, le=50)
    prompt: str = "a fan-out"
    step_delay: float = 0.0
    steps: int = 3
    black: list[int] = Field(default_factory=list)
    #: One child per ``advance`` (as a slow planner would), so a crash can fall between two of them.
    one_at_a_time: bool = False


class FanOut(kinds.ParentKind[FanOutPayload]):
    """N render children of the jobtest model; completes with their ids, fails naming the bad ones."""

    name = "fanout"
    payload_model = FanOutPayload

    def facts(self, payload: FanOutPayload) -> Facts:
        return Facts(model=MODEL, prompt=payload.prompt)

    def child(self, payload: FanOutPayload, index: int) -> kinds.Child:
        options = {"step_delay": payload.step_delay, "black": index in payload.black}
        request = resolved(
            prompt=f"{payload.prompt} #{index}", seed=index, steps=payload.steps, options=options
        )
        return kinds.Child(f"clip-{index}", kinds.RENDER, request)

    def advance(self, parent: Job, payload: FanOutPayload, children: Sequence[Job]) -> kinds.Step:
        have = {c.child_key for c in children}
        missing = [i for i in range(payload.count) if f"clip-{i}" not in have]
        if missing:
            wanted = missing[:1] if payload.one_at_a_time else missing
            return kinds.Spawn(tuple(self.child(payload, i) for i in wanted))
        return kinds.settle(children, payload.count)
