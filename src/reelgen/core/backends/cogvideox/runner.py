"""The CogVideoX runner: text, image and video to video through diffusers' CogVideoX pipelines."""

from __future__ import annotations

from typing import Any, ClassVar

from reelgen.core.backends import plumbing, source_clip
from reelgen.core.backends.base import DiffusersBackend
from reelgen.core.backends.cogvideox.presets import CogVideoXOptions
from reelgen.core.spec.request import ResolvedRequest, Task


class CogVideoXRunner(DiffusersBackend):
    """CogVideoX 2B / 5B (1.0) and 5B (1.5); text- and video-to-video share one set of weights."""

    pipelines: ClassVar[dict[Task, str]] = {
        Task.T2V: "CogVideoXPipeline",
        Task.I2V: "CogVideoXImageToVideoPipeline",
        Task.V2V: "CogVideoXVideoToVideoPipeline",
    }
    frames_first_latents = True

    def common_inputs(self, request: ResolvedRequest) -> dict[str, Any]:
        inputs = super().common_inputs(request)
        if request.task is Task.V2V:
            del inputs["num_frames"]  # the video-to-video pipeline takes the clip instead
        return inputs

    def task_inputs(self, request: ResolvedRequest, pipe: Any) -> dict[str, Any]:
        inputs: dict[str, Any] = {
            "use_dynamic_cfg": request.options_as(CogVideoXOptions).use_dynamic_cfg,
            "max_sequence_length": pipe.transformer.config.max_text_seq_length,
        }
        if request.task is Task.I2V:
            inputs["image"] = plumbing.start_image(request)
        elif request.task is Task.V2V:
            inputs["video"] = source_clip.source_frames(request, self.spec.rules_for(self.preset))
            inputs["strength"] = request.source_strength
        return inputs
