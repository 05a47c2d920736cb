"""The reelgen-micro runner: WanPipeline for text-to-video, WanImageToVideoPipeline (TI2V style) for image-to-video."""

from __future__ import annotations

from typing import Any, ClassVar

from reelgen.core.backends import plumbing
from reelgen.core.backends.base import DiffusersBackend
from reelgen.core.backends.micro import build
from reelgen.core.backends.micro.presets import LATENT_RGB_BIAS, LATENT_RGB_FACTORS, MicroOptions
from reelgen.core.spec.request import ResolvedRequest, Task


class MicroRunner(DiffusersBackend):
    """The shipped reelgen-micro model: text- and image-to-video at 128x128, on a CPU in seconds.

    Image-to-video works as in Wan 2.2 TI2V (``expand_timesteps``): the start image
    replaces the first latent frame, which keeps timestep 0.
    """

    pipelines: ClassVar[dict[Task, str]] = {
        Task.T2V: "WanPipeline",
        Task.I2V: "WanImageToVideoPipeline",
    }

    def sibling_kwargs(self, task: Task) -> dict[str, Any]:
        return {"expand_timesteps": True}

    def after_load(self) -> None:
        self._scheduler_config = dict(self.pipe.scheduler.config)

    def preview(self, latents: Any) -> Any:
        # The fitted map with its bias shows the clip's own colours; a contrast stretch would not.
        return plumbing.latent_preview(latents, LATENT_RGB_FACTORS, rgb_bias=LATENT_RGB_BIAS)

    def task_inputs(self, request: ResolvedRequest, pipe: Any) -> dict[str, Any]:
        # A fresh sampler every run (UniPC keeps state between runs), with the request's flow shift if any.
        shift = request.options_as(MicroOptions).flow_shift or self._scheduler_config["flow_shift"]
        pipe.scheduler = type(self.pipe.scheduler).from_config(self._scheduler_config, flow_shift=shift)
        # Prompts were cut to MAX_TOKENS in training; Wan's default of 512 would pad them differently.
        inputs: dict[str, Any] = {"max_sequence_length": build.MAX_TOKENS}
        if request.task is Task.I2V:
            inputs["image"] = plumbing.start_image(request)
        return inputs
