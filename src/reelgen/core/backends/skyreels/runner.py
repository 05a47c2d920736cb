"""The SkyReels-V2 runner: diffusion forcing for long videos (text, image, continuing a clip), plain T2V/I2V."""

from __future__ import annotations

from typing import Any, ClassVar

from reelgen.core import media
from reelgen.core.backends import plumbing, source_clip
from reelgen.core.backends.base import DiffusersBackend
from reelgen.core.backends.skyreels import presets as sp
from reelgen.core.backends.skyreels.windows import (
    FRAME_STEP,
    SkyReelsOptions,
    extend_frames,
    model_calls,
    request_windows,
)
from reelgen.core.backends.wan.configs import LATENT_RGB_FACTORS
from reelgen.core.progress import StageTracker
from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.core.types import Video

#: Variant -> task -> pipeline; a checkpoint loads as its variant's first task's class.
PIPELINES: dict[str, dict[Task, str]] = {
    sp.DF: {
        Task.T2V: "SkyReelsV2DiffusionForcingPipeline",
        Task.I2V: "SkyReelsV2DiffusionForcingImageToVideoPipeline",
        Task.EXTEND: "SkyReelsV2DiffusionForcingVideoToVideoPipeline",
    },
    sp.T2V: {Task.T2V: "SkyReelsV2Pipeline"},
    sp.I2V: {Task.I2V: "SkyReelsV2ImageToVideoPipeline"},
}


class SkyReelsRunner(DiffusersBackend):
    """Skywork SkyReels-V2 through diffusers: diffusion-forcing (DF) checkpoints and plain T2V/I2V ones."""

    # The Wan VAE and CLIP lose detail in half precision and are small: diffusers' examples keep them fp32.
    part_dtypes: ClassVar[dict[str, str]] = {"vae": "float32", "image_encoder": "float32"}
    single_file_class = "SkyReelsV2Transformer3DModel"
    rgb_factors = LATENT_RGB_FACTORS  # SkyReels-V2 uses Wan 2.1's VAE

    @property
    def pipelines(self) -> dict[Task, str]:  # type: ignore[override]
        return PIPELINES[self.preset.variant]

    def after_load(self) -> None:
        self._scheduler_config = dict(self.pipe.scheduler.config)
        self._block_size = int(self.pipe.transformer.config.num_frame_per_block)
        self._calls = 0

    def task_inputs(self, request: ResolvedRequest, pipe: Any) -> dict[str, Any]:
        """Images, the clip to extend and the window settings; also counts the model calls ahead."""
        options = request.options_as(SkyReelsOptions)
        shift = {} if options.flow_shift is None else {"flow_shift": options.flow_shift}
        # A fresh scheduler per run, so one request's shift never leaks into the next.
        pipe.scheduler = type(pipe.scheduler).from_config(self._scheduler_config, **shift)
        inputs: dict[str, Any] = {}
        if request.task is Task.I2V:
            inputs["image"] = plumbing.start_image(request)
            if request.end_image:
                inputs["last_image"] = plumbing.end_image(request)
        if self.preset.variant != sp.DF:
            self._calls = request.steps
            return inputs
        # The checkpoint's causal block size unless the request sets one; windows are counted with it.
        options = options.model_copy(
            update={"causal_block_size": options.causal_block_size or self._block_size}
        )
        inputs |= {
            "base_num_frames": options.base_num_frames,
            "overlap_history": options.overlap_history,
            "addnoise_condition": options.addnoise_condition,
            "ar_step": options.ar_step,
            "causal_block_size": options.causal_block_size,
            "fps": round(request.fps),
        }
        overlap = None
        if request.task is Task.EXTEND:
            inputs["video"] = _source_tail(request, options.overlap_history)
            overlap = inputs["overlap_history"] = len(inputs["video"])
            inputs["num_frames"] = extend_frames(request.num_frames, overlap)
        self._calls = model_calls(request_windows(request, options, overlap), request.steps, options)
        return inputs

    def denoise_steps(self, request: ResolvedRequest) -> int:
        """Model calls over every window, as ``task_inputs`` counted them for this run."""
        return self._calls

    def call(self, pipe: Any, kwargs: dict[str, Any], tracker: StageTracker) -> Any:
        import torch

        devices = [] if self.plan is None or self.plan.device == "cpu" else [torch.device(self.plan.device)]
        # DF pipelines noise the reused frames with torch's global RNG; seed it so a seed replays exactly.
        with torch.random.fork_rng(devices=devices):
            torch.manual_seed(kwargs["generator"].initial_seed())
            return super().call(pipe, kwargs, tracker)

    def to_video(self, result: Any, request: ResolvedRequest) -> Video:
        frames = result.frames[0]
        if request.task is Task.EXTEND:
            # The pipeline returns the given frames, its re-render of them, then the new frames (see
            # ``extend_frames``); only the new ones continue the source clip.
            start = len(frames) - (request.num_frames + FRAME_STEP - 1)
            frames = frames[start : start + request.num_frames]
        return plumbing.video_of(frames, request.fps)


def _source_tail(request: ResolvedRequest, overlap: int) -> list[Any]:
    """The source clip's last ``overlap`` frames at the run's frame rate, fitted to the output size; a
    shorter clip lends all it has, trimmed to 4k+1 frames (the lengths the VAE encodes)."""
    source, total = source_clip.read_tail(request.source_video or "", request.fps, overlap)
    have = source_clip.frames_at(total, float(source.fps), request.fps)
    usable = min(overlap, (have - 1) // FRAME_STEP * FRAME_STEP + 1)
    context = Video(source_clip.tail(source, request.fps, usable), source.fps)
    return media.fit_video(context, request.width, request.height)
