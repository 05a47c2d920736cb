"""A small in-test family: real render plumbing, frames from a seeded generator, scripted failures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import torch

from reelgen.core.backends.base import Runner
from reelgen.core.progress import Progress
from reelgen.core.spec.family import FamilySpec, Preset
from reelgen.core.spec.memory import DeviceInfo, MemoryPlan
from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.core.spec.rules import SizeRules
from reelgen.core.types import Video, to_fraction
from reelgen.core.weights import WeightSource

PRESET = Preset(
    name="fake-tiny",
    family="fake",
    description="test double",
    repo_id=None,
    tasks=frozenset({Task.T2V, Task.I2V}),
    width=32,
    height=32,
    num_frames=5,
    fps=8.0,
    steps=3,
    guidance=1.0,
    parts_gib={"transformer": 10.0, "vae": 1.0},
    tiny=True,
)


def build_tiny(preset: Preset, folder: Path) -> None:
    (folder / "model_index.json").write_text(json.dumps({"_class_name": "Fake"}))
    (folder / "weights.safetensors").write_bytes(b"fake weights")


class FakeRunner(Runner):
    """Seeded noise frames; ``fail_plans`` lists strategies that raise CUDA OOM, ``fail_load`` at load."""

    fail_plans: ClassVar[set[str]] = set()
    fail_load: ClassVar[set[str]] = set()
    loads: ClassVar[list[str]] = []

    def load(self, source: WeightSource, plan: MemoryPlan) -> None:
        type(self).loads.append(plan.strategy)
        if plan.strategy in self.fail_load:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 GiB")
        self.pipe = object()

    def generate(self, request: ResolvedRequest, progress: Progress) -> Video:
        assert self.plan is not None
        if self.plan.strategy in self.fail_plans:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        rng = np.random.default_rng(request.seed)
        tracker = progress.stage("denoise", request.steps)
        for step in range(request.steps):
            tracker.advance(step + 1)
        shape = (request.num_frames, request.height, request.width, 3)
        frames = rng.integers(0, 256, shape, dtype=np.uint8)
        if request.start_image:  # the start image's mean colour tints the clip
            from PIL import Image

            tint = np.asarray(Image.open(request.start_image).convert("RGB")).reshape(-1, 3).mean(axis=0)
            frames = (frames // 2 + tint.astype(np.uint8) // 2).astype(np.uint8)
        return Video(frames, to_fraction(request.fps))


SPEC = FamilySpec(
    family="fake",
    label="Fake",
    presets=(PRESET,),
    rules=SizeRules(label="Fake", multiple=16, frame_step=4, frame_offset=1),
    runner=FakeRunner,
    tiny_builder=build_tiny,
)


def fake_cuda(free_gib: float = 24.0) -> Any:
    return DeviceInfo("cuda:0", "Fake GPU", free_gib, free_gib)
