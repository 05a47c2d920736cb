"""The LTX-2 runner: one model that makes video and its soundtrack together, from text, an image or keyframes."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

import numpy as np

from reelgen.core.backends.ltx.common import CONDITION_TASK, LTXFamilyRunner, only_a_start_image, pins
from reelgen.core.backends.ltx2 import presets as l2
from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.core.types import Audio, Video


def fit_audio(samples: np.ndarray, sample_rate: int, seconds: float) -> Audio:
    """Pad with silence (or trim) to exactly the video's length.

    The causal audio VAE returns a few milliseconds less than the clip; left
    alone, that gap accumulates into lip-sync drift when shots are joined.
    """
    want = round(seconds * sample_rate)
    have = samples.shape[-1]
    if have < want:
        samples = np.pad(samples, ((0, 0), (0, want - have)))
    return Audio(np.ascontiguousarray(samples[:, :want], dtype=np.float32), sample_rate)


class LTX2Runner(LTXFamilyRunner):
    """Lightricks LTX-2 through diffusers' LTX2 pipelines; every run returns a soundtrack too.

    The inputs pick the pipeline: nothing pinned runs ``LTX2Pipeline`` (t2v and
    audio), a lone full-strength start image ``LTX2ImageToVideoPipeline``, and
    anything else (keyframes, an end image) ``LTX2ConditionPipeline`` with one
    condition per image at the latent frame nearest its frame. ``audio=False``
    leaves the soundtrack out of the video.
    """

    pipelines: ClassVar[dict[Task, str]] = {
        Task.T2V: "LTX2Pipeline",
        Task.I2V: "LTX2ImageToVideoPipeline",
        CONDITION_TASK: "LTX2ConditionPipeline",
        Task.AUDIO: "LTX2Pipeline",
    }
    single_file_class = "LTX2VideoTransformer3DModel"

    def pipeline_task(self, request: ResolvedRequest) -> Task:
        if not pins(request):
            return Task.T2V
        return Task.I2V if only_a_start_image(request) else CONDITION_TASK

    def common_inputs(self, request: ResolvedRequest) -> dict[str, Any]:
        from diffusers.pipelines.ltx2.utils import DISTILLED_SIGMA_VALUES

        options = request.options_as(l2.LTX2Options)
        inputs = {
            **super().common_inputs(request),
            "negative_prompt": request.negative_prompt or options.negative_prompt_default,
            "audio_guidance_scale": options.audio_guidance_scale,
            "stg_scale": options.stg_scale,
            "audio_stg_scale": options.stg_scale,
            "modality_scale": options.modality_scale,
            "audio_modality_scale": options.modality_scale,
            "guidance_rescale": options.guidance_rescale,
            "audio_guidance_rescale": options.guidance_rescale,
            "max_sequence_length": options.max_sequence_length,
        }
        if options.distilled_sigmas:
            sigmas = list(DISTILLED_SIGMA_VALUES)
            inputs |= {"num_inference_steps": len(sigmas), "sigmas": sigmas}
        return inputs

    def task_inputs(self, request: ResolvedRequest, pipe: Any) -> dict[str, Any]:
        route = self.pipeline_task(request)
        if route is Task.I2V:  # the start image, or a lone keyframe at frame 0
            return {"image": pins(request)[0].image(request)}
        if route is not CONDITION_TASK:
            return {}
        from diffusers.pipelines.ltx2.pipeline_ltx2_condition import LTX2VideoCondition

        ratio = pipe.vae_temporal_compression_ratio
        conditions = [
            LTX2VideoCondition(
                frames=pin.image(request),
                index=l2.latent_index(pin.frame, request.num_frames, ratio),
                strength=pin.strength,
            )
            for pin in pins(request)
        ]
        return {"conditions": conditions}

    def to_video(self, result: Any, request: ResolvedRequest) -> Video:
        video = super().to_video(result, request)
        if not request.audio:
            return video
        samples = result.audio[0].detach().float().cpu().numpy()
        rate = int(self.pipe.vocoder.config.output_sampling_rate)
        return replace(video, audio=fit_audio(samples, rate, video.seconds))
