"""reelgen-micro: the small Wan-family model this project trains on procedural scenes and ships in the package.

It loads like any checkpoint (a diffusers folder read with ``from_pretrained``),
from ``reelgen/assets/micro``; ``python -m reelgen.train.micro`` trains and
exports it (docs/micro.md). Text-to-video uses WanPipeline; image-to-video uses
WanImageToVideoPipeline in Wan 2.2 TI2V style, where the start image replaces
the first latent frame.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from reelgen.core.backends import micro_build as mb
from reelgen.core.backends.base import (
    Backend,
    BackendInfo,
    Preset,
    apply_loras,
    apply_plan,
    frames_to_uint8,
    generator,
    latent_preview,
    step_callback,
)
from reelgen.core.spec.request import GenerationRequest, Task
from reelgen.core.spec.rules import SizeRules
from reelgen.core.types import Video, to_fraction

if TYPE_CHECKING:
    from reelgen.core.progress import Progress
    from reelgen.core.spec.memory import MemoryPlan
    from reelgen.core.weights import WeightSource

#: 8x VAE x 2x2 patches: sides are multiples of 16; the 4x temporal VAE wants 4k+1 frames.
RULES = SizeRules(
    label="reelgen-micro",
    multiple=16,
    min_side=32,
    max_side=512,
    frame_step=4,
    frame_offset=1,
    min_frames=5,
    max_frames=129,
)


class MicroOptions(BaseModel):
    """Options of reelgen-micro."""

    model_config = ConfigDict(extra="forbid")

    flow_shift: float | None = Field(default=None, gt=0, description="sampler flow shift (shipped: 2.0)")


PRESET = Preset(
    name="reelgen-micro",
    family="micro",
    description="reelgen's own 11M-parameter Wan-style model of coloured shapes (ships inside the package)",
    repo_id=None,
    tasks=frozenset({Task.T2V, Task.I2V}),
    width=128,
    height=128,
    num_frames=25,
    fps=12.0,
    steps=20,
    guidance=5.0,
    parts_gib={"transformer": 0.03, "text_encoder": 0.004, "vae": 0.009},
    dtype="float32",
    rules=RULES,
    bundled="assets/micro",
)


class MicroBackend(Backend):
    """The shipped reelgen-micro model: text- and image-to-video at 128x128, on a CPU in seconds."""

    info: ClassVar[BackendInfo] = BackendInfo(
        family="micro",
        label="reelgen-micro",
        tasks=frozenset({Task.T2V, Task.I2V}),
        presets=(PRESET,),
        rules=RULES,
        options=MicroOptions,
    )

    def __init__(self, preset: Preset) -> None:
        super().__init__(preset)
        self.pipe: Any = None
        self.pipe_i2v: Any = None
        self._scheduler_config: dict[str, Any] = {}

    @classmethod
    def build_tiny(cls, preset: Preset, folder: Path) -> None:
        """The micro architecture with seeded random weights (what training starts from)."""
        mb.save(mb.build_untrained(seed=0), folder)

    def load(self, source: WeightSource, plan: MemoryPlan) -> None:
        """Read the diffusers folder in float32 (the model is small) and place it by ``plan``."""
        import torch
        from diffusers import WanImageToVideoPipeline, WanPipeline

        self.pipe = WanPipeline.from_pretrained(str(source.path), dtype=torch.float32, local_files_only=True)
        parts = {
            k: getattr(self.pipe, k) for k in ("tokenizer", "text_encoder", "transformer", "vae", "scheduler")
        }
        self.pipe_i2v = WanImageToVideoPipeline(**parts, expand_timesteps=True)
        self._scheduler_config = dict(self.pipe.scheduler.config)
        for pipe in (self.pipe, self.pipe_i2v):
            pipe.set_progress_bar_config(disable=True)
        apply_plan(self.pipe, plan)
        self.source, self.plan = source, plan

    def working_gib(self, request: GenerationRequest) -> float:
        """The decode of one latent frame at full size dominates; the model itself is tens of MB."""
        pixels = (request.width or 0) * (request.height or 0)
        clip = pixels * (request.num_frames or 0) * 3 * 4 * 2
        return round(0.25 + (pixels * 64 * 6 * 4 + clip) / 1024**3, 3)

    def generate(self, request: GenerationRequest, progress: Progress) -> Video:
        """Denoise with Wan's sampler; for i2v the start image is the first latent frame."""
        from reelgen.core import media

        assert request.width and request.height and request.num_frames and request.steps and request.fps
        assert request.seed is not None and request.guidance is not None
        options = MicroOptions.model_validate(request.options)

        # 1. LoRAs (WanPipeline's loader) go into the shared transformer.
        self.lora_records = apply_loras(self.pipe, request.loras)

        # 2. The task's pipeline and inputs, with a fresh sampler (UniPC keeps state between runs).
        pipe, kwargs = self.pipe, {}
        if request.task == Task.I2V:
            pipe = self.pipe_i2v
            kwargs["image"] = media.load_fitted(
                request.start_image or "", request.width, request.height, "start_image"
            )
        shift = options.flow_shift or self._scheduler_config.get("flow_shift", mb.FLOW_SHIFT)
        pipe.scheduler = type(self.pipe.scheduler).from_config(self._scheduler_config, flow_shift=shift)

        # 3. Denoise with progress, previews and cancel between steps; decode to frames.
        tracker = progress.stage("denoise", request.steps)
        result = pipe(
            prompt=request.prompt,
            negative_prompt=request.negative_prompt or "",
            width=request.width,
            height=request.height,
            num_frames=request.num_frames,
            num_inference_steps=request.steps,
            guidance_scale=request.guidance,
            generator=generator(request.seed),
            output_type="np",
            max_sequence_length=mb.MAX_TOKENS,
            callback_on_step_end=step_callback(tracker, latent_preview),
            callback_on_step_end_tensor_inputs=["latents"],
            **kwargs,
        )
        return Video(frames_to_uint8(result.frames[0]), to_fraction(request.fps))
