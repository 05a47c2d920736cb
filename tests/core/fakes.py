"""A small in-test backend: real render plumbing, frames from a seeded generator, scripted failures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import torch

from reelgen.core.backends.base import Backend, BackendInfo, Preset
from reelgen.core.progress import Progress
from reelgen.core.spec.memory import MemoryPlan
from reelgen.core.spec.request import GenerationRequest, Task
from reelgen.core.spec.rules import SizeRules
from reelgen.core.types import Video, to_fraction
from reelgen.core.weights import WeightSource

PRESET = Preset(
    name="fake-tiny",
    family="fake",
    description="test double",
    repo_id=None,
    tasks=frozenset({Task.T2V}),
    width=32,
    height=32,
    num_frames=5,
    fps=8.0,
    steps=3,
    guidance=1.0,
    parts_gib={"transformer": 10.0, "vae": 1.0},
    tiny=True,
)


class FakeBackend(Backend):
    """Generates seeded noise frames; ``fail_plans`` lists strategies that raise CUDA OOM."""

    info = BackendInfo(
        family="fake",
        label="Fake",
        tasks=frozenset({Task.T2V}),
        presets=(PRESET,),
        rules=SizeRules(label="Fake", multiple=16, frame_step=4, frame_offset=1),
    )
    fail_plans: ClassVar[set[str]] = set()
    loads: ClassVar[list[str]] = []

    @classmethod
    def build_tiny(cls, preset: Preset, folder: Path) -> None:
        (folder / "model_index.json").write_text(json.dumps({"_class_name": "Fake"}))
        (folder / "weights.safetensors").write_bytes(b"fake weights")

    def load(self, source: WeightSource, plan: MemoryPlan) -> None:
        type(self).loads.append(plan.strategy)
        self.pipe = object()

    def generate(self, request: GenerationRequest, progress: Progress) -> Video:
        assert self.plan is not None
        if self.plan.strategy in self.fail_plans:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        rng = np.random.default_rng(request.seed)
        tracker = progress.stage("denoise", request.steps or 1)
        for step in range(request.steps or 1):
            tracker.advance(step + 1)
        shape = (request.num_frames, request.height, request.width, 3)
        return Video(rng.integers(0, 256, shape, dtype=np.uint8), to_fraction(request.fps or 8))


def fake_cuda(free_gib: float = 24.0) -> Any:
    from reelgen.core.spec.memory import DeviceInfo

    return DeviceInfo("cuda:0", "Fake GPU", free_gib, free_gib)
