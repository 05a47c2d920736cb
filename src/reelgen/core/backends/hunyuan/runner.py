"""The HunyuanVideo runner, and the base it shares with HunyuanVideo 1.5 and FramePack."""

from __future__ import annotations

from typing import Any, ClassVar

from reelgen.core.backends import plumbing
from reelgen.core.backends.base import DiffusersBackend
from reelgen.core.backends.hunyuan import presets as hp
from reelgen.core.spec.request import ResolvedRequest, Task


class HunyuanBase(DiffusersBackend):
    """What every HunyuanVideo-based runner does the same way (HunyuanVideo, 1.5, FramePack).

    On a GPU the VAE always decodes in tiles: un-tiled, it decodes a whole 720p
    clip at once (far beyond any single card), and every published recipe tiles;
    CPU runs stay exact. Each run gets a fresh scheduler from the checkpoint's
    config, so one request's flow shift never reaches the next. Tiny builds'
    byte-level tokenizers split the prompt templates into more tokens than the
    real ones, so their crop indices are counted once at load.
    """

    def after_load(self) -> None:
        assert self.plan is not None
        self._scheduler_config = dict(self.pipe.scheduler.config)
        if self.plan.device != "cpu":
            self.pipe.vae.enable_tiling()
        self.tiny_template: dict[str, Any] | None = None
        if self.preset.tiny:
            self.fit_tiny_tokenizer()

    def fit_tiny_tokenizer(self) -> None:
        """HunyuanVideo's template (LLaMA system prompt, LLaVA image tokens) counted by the tiny tokenizer."""
        from reelgen.core.backends.hunyuan.tiny import prompt_template

        self.tiny_template = prompt_template(self.pipe)

    def fresh_scheduler(self, flow_shift: float | None) -> Any:
        """A new scheduler from the checkpoint's config, with the request's flow shift if any."""
        cls = type(self.pipe.scheduler)
        if flow_shift is None:
            return cls.from_config(self._scheduler_config)
        return cls.from_config(self._scheduler_config, shift=flow_shift)

    #: Guidance-distilled (HunyuanVideo, FramePack): only real CFG, ``true_cfg_scale`` above 1, reads a negative.
    distilled_guidance: ClassVar[bool] = False

    @classmethod
    def negative_unread(cls, request: ResolvedRequest) -> str | None:
        if not cls.distilled_guidance:
            return super().negative_unread(request)
        if float(getattr(request.options, "true_cfg_scale", 1.0)) <= 1.0:
            return "unless real CFG runs: give --option true_cfg_scale above 1 (two passes a step)"
        return None

    def distilled_inputs(self, request: ResolvedRequest, true_cfg_scale: float) -> dict[str, Any]:
        """Guidance-distilled models: the negative prompt counts only with real CFG (two passes a step)."""
        inputs: dict[str, Any] = {
            "true_cfg_scale": true_cfg_scale,
            "negative_prompt": request.negative_prompt if true_cfg_scale > 1.0 else None,
        }
        if self.tiny_template is not None:
            inputs["prompt_template"] = self.tiny_template
        return inputs


class HunyuanRunner(HunyuanBase):
    """HunyuanVideo 13B: ``HunyuanVideoPipeline`` (t2v) or ``HunyuanVideoImageToVideoPipeline`` (i2v).

    Each checkpoint is one task: the I2V model's text encoder is a LLaVA that reads the start
    image together with the prompt, and its transformer replaces the first latent frame's
    tokens with the encoded image.
    """

    distilled_guidance = True
    pipelines: ClassVar[dict[Task, str]] = {
        Task.T2V: "HunyuanVideoPipeline",
        Task.I2V: "HunyuanVideoImageToVideoPipeline",
    }
    single_file_class = "HunyuanVideoTransformer3DModel"

    def task_inputs(self, request: ResolvedRequest, pipe: Any) -> dict[str, Any]:
        options = request.options_as(hp.HunyuanOptions)
        pipe.scheduler = self.fresh_scheduler(options.flow_shift)
        inputs = self.distilled_inputs(request, options.true_cfg_scale)
        if request.task is Task.I2V:
            inputs["image"] = plumbing.start_image(request)
        return inputs
