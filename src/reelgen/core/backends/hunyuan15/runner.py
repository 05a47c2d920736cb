"""The HunyuanVideo 1.5 runner: text- and image-to-video, progress from the scheduler's steps."""

from __future__ import annotations

from typing import Any, ClassVar

from reelgen.core.backends import plumbing
from reelgen.core.backends.hunyuan.runner import HunyuanBase
from reelgen.core.backends.hunyuan15 import presets as h15
from reelgen.core.backends.stephook import call_counting_steps
from reelgen.core.progress import StageTracker
from reelgen.core.spec.request import ResolvedRequest, Task


class Hunyuan15Runner(HunyuanBase):
    """HunyuanVideo 1.5: ``HunyuanVideo15Pipeline`` (t2v) or ``HunyuanVideo15ImageToVideoPipeline`` (i2v).

    These pipelines take no step callback, so progress, previews and cancel come from
    wrapping the scheduler's ``step`` for the duration of a call (``stephook``). The i2v
    pipeline picks its own size from the image's aspect ratio among fixed buckets, so an i2v
    request names one of those buckets (the spec checks it). Classifier-free guidance lives
    in the pipeline's guider, which gets the request's ``guidance`` on every run.
    """

    pipelines: ClassVar[dict[Task, str]] = {
        Task.T2V: "HunyuanVideo15Pipeline",
        Task.I2V: "HunyuanVideo15ImageToVideoPipeline",
    }

    def fit_tiny_tokenizer(self) -> None:
        from reelgen.core.backends.hunyuan15.tiny import system_prompt_tokens

        self.pipe.prompt_template_encode_start_idx = system_prompt_tokens(self.pipe)

    def common_inputs(self, request: ResolvedRequest) -> dict[str, Any]:
        inputs = super().common_inputs(request)
        del inputs["guidance_scale"]  # the guider holds it (task_inputs)
        if request.task is Task.I2V:
            del inputs["width"], inputs["height"]  # the pipeline sizes the clip from the image's bucket
        return inputs

    def task_inputs(self, request: ResolvedRequest, pipe: Any) -> dict[str, Any]:
        options = request.options_as(h15.Hunyuan15Options)
        pipe.guider = pipe.guider.new(guidance_scale=request.guidance)
        pipe.scheduler = self.fresh_scheduler(options.flow_shift)
        return {"image": plumbing.start_image(request)} if request.task is Task.I2V else {}

    def call(self, pipe: Any, kwargs: dict[str, Any], tracker: StageTracker) -> Any:
        return call_counting_steps(pipe, kwargs, tracker, self.preview)
