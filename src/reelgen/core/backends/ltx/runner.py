"""The LTX-Video 0.9.x runner: text, image, keyframes, extend and video to video through diffusers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from reelgen.core.backends import plumbing, source_clip
from reelgen.core.backends.ltx import conditions
from reelgen.core.backends.ltx import presets as lp
from reelgen.core.backends.ltx.common import CONDITION_TASK, LTXFamilyRunner, only_a_start_image, pins
from reelgen.core.backends.ltx.preview import ltx_latent_preview
from reelgen.core.backends.ltx.weights import single_file_parts
from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.core.types import Video

if TYPE_CHECKING:
    from reelgen.core.accel import AccelConfig
    from reelgen.core.spec.memory import MemoryPlan
    from reelgen.core.weights import WeightSource


class LTXRunner(LTXFamilyRunner):
    """LTX-Video 0.9.x: one set of modules shared by diffusers' three LTX pipelines.

    - t2v: ``LTXPipeline``; i2v: ``LTXImageToVideoPipeline`` with the start image (or a lone
      full-strength keyframe at frame 0) as frame 0.
    - keyframes, an end image, a start image with a timestep-aware VAE: ``LTXConditionPipeline``
      with one image condition per pinned image at its frame and strength (start image at frame
      0, end image at the last frame).
    - extend: the output is ONLY the ``num_frames`` new frames that continue the source clip,
      never the source's own frames. The last C frames of the source
      (``options.extend_context_frames``, 8k+1; by default about half of ``num_frames``) are
      pinned at frame 0 of a run of C + ``num_frames`` + 7 frames (the shortest 8k+1 run that
      holds both); the C context frames and the 7 spare frames at its end are dropped. Extend
      accepts ``num_frames`` of 8k+1 like every LTX run, up to 250 - C, since one run makes at
      most 257 frames (249 with a 1-frame context). The source followed by the output is the
      longer clip; C is in ``Video.extra["extend_context_frames"]``.
    - v2v: the first ``num_frames`` frames of the source clip are encoded, noised to
      ``source_strength`` and denoised again (SDEdit): 1.0 ignores the source, lower keeps more.

    Presets of variant "condition" (0.9.7, published as condition pipelines) and runs with a
    fixed ``options.timesteps`` schedule use ``LTXConditionPipeline`` for every task.
    """

    # T2V first: every checkpoint loads as LTXPipeline (0.9.7 folders name the condition pipeline;
    # the modules are the same). ``pipeline_task`` routes each request by its inputs.
    pipelines: ClassVar[dict[Task, str]] = {
        Task.T2V: "LTXPipeline",
        Task.I2V: "LTXImageToVideoPipeline",
        CONDITION_TASK: "LTXConditionPipeline",
        Task.EXTEND: "LTXConditionPipeline",
        Task.V2V: "LTXConditionPipeline",
    }
    single_file_class = "LTXVideoTransformer3DModel"
    frames_on_device = True
    # Condition pipelines put the pinned frames' tokens first; the clip's own are the last.
    condition_tokens_first = True

    def place(self, pipe: Any, plan: MemoryPlan, accel: AccelConfig | None = None) -> None:
        super().place(pipe, plan, accel)
        if plan.vae_tiling:
            lp.tile_in_time(pipe.vae)

    def latents_to_rgb(self, latents: Any) -> np.ndarray:
        return ltx_latent_preview(latents)

    def _load_single_file(self, cls: Any, source: WeightSource, dtype: Any, dtype_arg: Any) -> Any:
        """The transformer (and the VAE, when the file has one) from the file, the rest from its base
        (a tiny model's own build, as ``weights._explicit`` sets it for every family)."""
        parts = single_file_parts(source, self.preset, dtype)
        return cls.from_pretrained(str(source.base), dtype=dtype_arg, local_files_only=True, **parts)

    def pipeline_task(self, request: ResolvedRequest) -> Task:
        plain = self.preset.variant != lp.CONDITION and lp.fixed_schedule(request) is None
        if not plain or request.task in (Task.EXTEND, Task.V2V):
            return CONDITION_TASK
        if not pins(request):
            return Task.T2V
        # diffusers' LTXImageToVideoPipeline draws the decode noise of timestep-aware VAEs (0.9.1+)
        # with torch.randn on the GPU, which rejects the CPU generator that keeps seeds portable;
        # for those the condition pipeline does the same job with the image pinned at frame 0.
        if only_a_start_image(request) and not self.pipe.vae.config.timestep_conditioning:
            return Task.I2V
        return CONDITION_TASK

    def common_inputs(self, request: ResolvedRequest) -> dict[str, Any]:
        options = request.options_as(lp.LTXOptions)
        return {
            **super().common_inputs(request),
            "negative_prompt": request.negative_prompt or options.negative_prompt_default,
            "guidance_rescale": options.guidance_rescale,
            "decode_timestep": options.decode_timestep,
            "decode_noise_scale": options.decode_noise_scale,
            "max_sequence_length": options.max_sequence_length,
        }

    def task_inputs(self, request: ResolvedRequest, pipe: Any) -> dict[str, Any]:
        route = self.pipeline_task(request)
        if route is Task.I2V:  # the start image, or a lone keyframe at frame 0
            return {"image": pins(request)[0].image(request)}
        if route is not CONDITION_TASK:
            return {}
        options = request.options_as(lp.LTXOptions)
        inputs: dict[str, Any] = {
            "image_cond_noise_scale": options.image_cond_noise_scale,
            "timesteps": lp.fixed_schedule(request),
        }
        if request.task is Task.EXTEND:
            inputs |= conditions.extend_inputs(self.preset, request)
        elif request.task is Task.V2V:
            clip = source_clip.source_frames(request, self.spec.rules_for(self.preset))
            inputs["latents"] = conditions.encode_clip(pipe, clip, request.width, request.height)
            inputs["denoise_strength"] = request.source_strength
        else:
            inputs["conditions"] = conditions.image_conditions(request) or None
        return inputs

    def to_video(self, result: Any, request: ResolvedRequest) -> Video:
        frames = self.frames_of(result)
        if request.task is not Task.EXTEND:
            return plumbing.video_of(frames, request.fps)
        frames, context = conditions.new_frames(frames, request.num_frames)
        return plumbing.video_of(frames, request.fps, extend_context_frames=context)
