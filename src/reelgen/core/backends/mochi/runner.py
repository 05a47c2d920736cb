"""The Mochi 1 runner: text to video through diffusers' MochiPipeline."""

from __future__ import annotations

from typing import Any, ClassVar

from reelgen.core.backends.base import DiffusersBackend
from reelgen.core.spec.request import ResolvedRequest, Task


class MochiRunner(DiffusersBackend):
    """Mochi 1 preview: one text-to-video pipeline, T5-XXL prompts up to the transformer's length."""

    pipelines: ClassVar[dict[Task, str]] = {Task.T2V: "MochiPipeline"}
    # genmo/mochi-1-preview carries full-precision and bf16 files; read the half-size ones.
    weight_variants: ClassVar[dict[str, str]] = {"bfloat16": "bf16"}

    def task_inputs(self, request: ResolvedRequest, pipe: Any) -> dict[str, Any]:
        return {"max_sequence_length": pipe.transformer.config.max_sequence_length}
