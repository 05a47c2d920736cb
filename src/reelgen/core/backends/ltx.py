"""LTX-Video 0.9.x backend: text, image, keyframe, extend and video-to-video generation through diffusers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from reelgen.core import media
from reelgen.core.backends import ltx_conditions as cond
from reelgen.core.backends.base import (
    Backend,
    BackendInfo,
    Preset,
    apply_loras,
    apply_plan,
    frames_to_uint8,
    generator,
    step_callback,
)
from reelgen.core.backends.ltx_weights import build_full_random, full_configs, load_single_file
from reelgen.core.devices import torch_dtype
from reelgen.core.errors import InvalidRequest
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.spec.memory import MemoryPlan
from reelgen.core.spec.request import GenerationRequest, Task
from reelgen.core.spec.rules import SizeRules
from reelgen.core.types import Video, to_fraction

if TYPE_CHECKING:
    import numpy as np
    import torch

    from reelgen.core.weights import WeightSource

#: ``build_full_random`` and ``full_configs`` live in ltx_weights; the GPU benchmark imports them from here.
__all__ = ["LTXBackend", "LTXOptions", "PRESETS", "build_full_random", "full_configs"]

TASKS = frozenset({Task.T2V, Task.I2V, Task.KEYFRAMES, Task.EXTEND, Task.V2V})
RULES = SizeRules(label="LTX-Video", multiple=32, frame_step=8, frame_offset=1, max_frames=257)


class LTXOptions(BaseModel):
    """LTX knobs beyond the common request; presets set what their checkpoint was tuned for."""

    model_config = ConfigDict(extra="forbid")

    #: Timestep-aware VAEs (0.9.1 and later) decode from a slightly noised latent: 0.05 / 0.025.
    decode_timestep: float = Field(default=0.0, ge=0.0, le=1.0)
    decode_noise_scale: float | None = Field(default=None, ge=0.0, le=1.0)
    #: Noise put back on pinned frames (keyframes, extend) at each step; helps motion continuity.
    image_cond_noise_scale: float = Field(default=0.15, ge=0.0, le=1.0)
    guidance_rescale: float = Field(default=0.0, ge=0.0, le=1.0)
    #: A fixed schedule (distilled checkpoints). Used when ``steps`` equals its length; any other
    #: step count falls back to the default schedule.
    timesteps: list[float] | None = None
    max_sequence_length: int = Field(default=128, ge=1, le=512)
    #: Used when the request gives no negative prompt (the one LTX's authors publish).
    negative_prompt_default: str = "worst quality, inconsistent motion, blurry, jittery, distorted"
    #: extend: how many frames from the end of the source clip open the new clip (8k+1).
    extend_context_frames: int | None = Field(default=None, ge=1)


_TIMESTEP_VAE = {"decode_timestep": 0.05, "decode_noise_scale": 0.025, "image_cond_noise_scale": 0.025}
_13B_OPTIONS = {
    **_TIMESTEP_VAE,
    "image_cond_noise_scale": 0.0,
    "guidance_rescale": 0.7,
    "max_sequence_length": 256,
}
#: Resident bf16 sizes: transformer 1.92B / 13.0B params, VAE 1.25B, T5-XXL encoder 4.76B (8.87 GiB
#: of bf16 weights; 9.2 GiB measured resident, as transformers keeps a few T5 layers in float32).
_PARTS_2B = {"transformer": 3.58, "text_encoder": 9.2, "vae": 2.32}
_PARTS_13B = {"transformer": 24.29, "text_encoder": 9.2, "vae": 2.32}

PRESETS = (
    Preset(
        name="ltx-2b",
        family="ltx",
        repo_id="Lightricks/LTX-Video-0.9.5",
        tasks=TASKS,
        description="LTX-Video 0.9.5, 2B: fast text/image/keyframes to video at 704x512",
        width=704,
        height=512,
        num_frames=161,
        fps=25.0,
        steps=50,
        guidance=3.0,
        parts_gib=_PARTS_2B,
        options=dict(_TIMESTEP_VAE),
    ),
    Preset(
        name="ltx-13b",
        family="ltx",
        repo_id="Lightricks/LTX-Video-0.9.7-dev",
        tasks=TASKS,
        description="LTX-Video 0.9.7 dev, 13B: best LTX quality, all tasks through the condition pipeline",
        width=768,
        height=512,
        num_frames=121,
        fps=25.0,
        steps=30,
        guidance=5.0,
        parts_gib=_PARTS_13B,
        variant="condition",
        options=dict(_13B_OPTIONS),
    ),
    Preset(
        name="ltx-distilled",
        family="ltx",
        repo_id="Lightricks/LTX-Video-0.9.7-distilled",
        tasks=TASKS,
        description="LTX-Video 0.9.7 distilled, 13B: 8 steps without CFG",
        width=768,
        height=512,
        num_frames=121,
        fps=25.0,
        steps=8,
        guidance=1.0,
        parts_gib=_PARTS_13B,
        variant="condition",
        options={**_13B_OPTIONS, "timesteps": [1000.0, 993.0, 987.0, 981.0, 975.0, 909.0, 725.0, 0.03]},
    ),
    Preset(
        name="ltx-tiny",
        family="ltx",
        repo_id=None,
        tasks=TASKS,
        tiny=True,
        description="LTX-Video classes with tiny random weights: for tests and trying the pipeline on a CPU",
        width=64,
        height=64,
        num_frames=9,
        fps=24.0,
        steps=2,
        guidance=3.0,
        parts_gib={"transformer": 0.001, "text_encoder": 0.001, "vae": 0.001},
    ),
)

#: Activation bytes per transformer token and hidden unit (measured: 0.77 GiB for 2B, CFG, 768x512x121).
_ACT_BYTES_PER_UNIT = 32
#: Peak bytes per output pixel of one un-tiled bf16 VAE decode (measured: 101 at 768x512x121,
#: 704x512x161 and 1216x704x121 on an H200; the last stages run at full size).
_VAE_BYTES_PER_PIXEL = 104
GIB = 1024**3


class LTXBackend(Backend):
    """LTX-Video 0.9.x: one set of components shared by diffusers' three LTX pipelines.

    - t2v: ``LTXPipeline``; i2v: ``LTXImageToVideoPipeline`` with the start image as frame 0
      (``LTXConditionPipeline`` with the image pinned at frame 0 for timestep-aware VAEs).
    - keyframes (and i2v with an end image): ``LTXConditionPipeline`` with one image condition
      per keyframe at its frame and strength; a start image is pinned at frame 0, an end image
      at the last frame.
    - extend: the last C frames of the source clip (``options.extend_context_frames``, by
      default about half the new clip) are pinned at the start of the new clip. The output is
      ``num_frames`` long: its first C frames re-create the end of the source clip and the rest
      continue it, so ``source[:-C]`` followed by the output is the longer clip. C is reported
      in ``Video.extra["extend_context_frames"]`` and in a progress message.
    - v2v: the first ``num_frames`` frames of the source clip are encoded, noised to
      ``source_strength`` and denoised again (SDEdit): 1.0 ignores the source, lower keeps more.

    Presets of variant "condition" (0.9.7, published as condition pipelines) and runs with a
    fixed ``timesteps`` schedule use ``LTXConditionPipeline`` for every task.
    """

    info: ClassVar[BackendInfo] = BackendInfo(
        family="ltx", label="LTX-Video", tasks=TASKS, presets=PRESETS, rules=RULES, options=LTXOptions
    )

    def __init__(self, preset: Preset) -> None:
        super().__init__(preset)
        self.pipe: Any = None
        self.pipes: dict[str, Any] = {}
        self.pipe_active: Any = None

    @classmethod
    def build_tiny(cls, preset: Preset, folder: Path) -> None:
        import torch
        from diffusers import (
            AutoencoderKLLTXVideo,
            FlowMatchEulerDiscreteScheduler,
            LTXPipeline,
            LTXVideoTransformer3DModel,
        )

        from reelgen.core.backends import tiny

        # 1. Transformer: one block over 8 latent channels, reading text of width TEXT_DIM.
        torch.manual_seed(0)
        transformer: Any = LTXVideoTransformer3DModel(
            in_channels=8,
            out_channels=8,
            patch_size=1,
            patch_size_t=1,
            num_attention_heads=4,
            attention_head_dim=8,
            cross_attention_dim=32,
            num_layers=1,
            caption_channels=tiny.TEXT_DIM,
        )
        # 2. VAE: 4x spatial and 4x temporal compression, so 64x64x9 is 16x16x3 latents.
        torch.manual_seed(0)
        vae: Any = AutoencoderKLLTXVideo(
            in_channels=3,
            out_channels=3,
            latent_channels=8,
            block_out_channels=(8, 8, 8, 8),
            decoder_block_out_channels=(8, 8, 8, 8),
            layers_per_block=(1, 1, 1, 1, 1),
            decoder_layers_per_block=(1, 1, 1, 1, 1),
            spatio_temporal_scaling=(True, True, False, False),
            decoder_spatio_temporal_scaling=(True, True, False, False),
            decoder_inject_noise=(False,) * 5,
            upsample_residual=(False,) * 4,
            upsample_factor=(1,) * 4,
            timestep_conditioning=False,
            patch_size=1,
            patch_size_t=1,
            encoder_causal=True,
            decoder_causal=False,
        )
        # 3. Text: an in-memory T5 tokenizer and a two-layer encoder.
        tokenizer = tiny.t5_tokenizer()
        pipe = LTXPipeline(
            transformer=transformer.eval(),
            vae=vae.eval(),
            scheduler=FlowMatchEulerDiscreteScheduler(),
            text_encoder=tiny.t5_encoder(len(tokenizer)),
            tokenizer=tokenizer,
        )
        tiny.save_pipeline(pipe, folder)

    def load(self, source: WeightSource, plan: MemoryPlan) -> None:
        from diffusers import LTXPipeline

        dtype = torch_dtype(plan.dtype)
        if source.kind == "single_file":
            base = source.base
            if base is None and self.preset.tiny:
                from reelgen.core.weights import tiny_folder

                base = tiny_folder(type(self), self.preset)
            pipe = load_single_file(source.path, base, dtype, self.preset.name)
        else:
            # 0.9.7 folders are saved as LTXConditionPipeline; the components are the same.
            pipe = LTXPipeline.from_pretrained(str(source.path), dtype=dtype)
        apply_plan(pipe, plan)
        self.pipe = self.pipe_active = pipe
        self.pipes = {"LTXPipeline": pipe}
        self.plan, self.source = plan, source

    def validate_inputs(self, request: GenerationRequest) -> None:
        opts = LTXOptions.model_validate(request.options)
        schedule = opts.timesteps
        if schedule is not None and (
            not all(0 < t <= 1000 for t in schedule)
            or any(a <= b for a, b in zip(schedule, schedule[1:], strict=False))
        ):
            raise InvalidRequest(
                f"options.timesteps {schedule} must fall strictly from at most 1000 to above 0",
                param="options.timesteps",
            )
        if request.task == Task.EXTEND:
            cond.check_context(request)
        if request.task == Task.V2V:
            fixed = self._schedule(request, opts)
            steps = len(fixed) if fixed else (request.steps or self.preset.steps)
            if cond.denoise_steps(steps, request.source_strength) < 1:
                raise InvalidRequest(
                    f"source_strength {request.source_strength} leaves no denoising step out of {steps}; "
                    f"use at least {1 / steps:.2f} (or more steps)",
                    param="source_strength",
                )

    def generate(self, request: GenerationRequest, progress: Progress) -> Video:
        assert request.seed is not None and request.steps is not None and request.fps is not None
        opts = LTXOptions.model_validate(request.options)
        # 1. LoRAs go into the shared transformer, so every task pipeline sees them.
        self.lora_records = apply_loras(self.pipe, request.loras)
        # 2. Pick the pipeline and turn images and clips into its inputs.
        pipe, inputs, extra = self._prepare(request, opts)
        if "extend_context_frames" in extra:
            note = f"the first {extra['extend_context_frames']} frames repeat the end of the source clip"
            progress.emit(ProgressEvent("extend", 0, 0, 0.0, message=note))
        # 3. Denoise with progress, previews and cancel between steps, then decode.
        steps = len(inputs["timesteps"]) if inputs.get("timesteps") else request.steps
        if request.task == Task.V2V:
            steps = cond.denoise_steps(steps, request.source_strength)
        tracker = progress.stage("denoise", steps)
        out = pipe(
            prompt=request.prompt,
            negative_prompt=request.negative_prompt or opts.negative_prompt_default,
            width=request.width,
            height=request.height,
            num_frames=request.num_frames,
            frame_rate=request.fps,
            num_inference_steps=request.steps,
            guidance_scale=request.guidance,
            guidance_rescale=opts.guidance_rescale,
            decode_timestep=opts.decode_timestep,
            decode_noise_scale=opts.decode_noise_scale,
            max_sequence_length=opts.max_sequence_length,
            generator=generator(request.seed),
            output_type="np",
            callback_on_step_end=step_callback(tracker, self._previewer(pipe, request)),
            callback_on_step_end_tensor_inputs=["latents"],
            **inputs,
        )
        return Video(frames_to_uint8(out.frames[0]), to_fraction(request.fps), extra=extra)

    def _schedule(self, request: GenerationRequest, opts: LTXOptions) -> list[float] | None:
        """The fixed timesteps to run, when the preset has them and the step count matches."""
        return opts.timesteps if opts.timesteps and len(opts.timesteps) == request.steps else None

    def _prepare(
        self, request: GenerationRequest, opts: LTXOptions
    ) -> tuple[Any, dict[str, Any], dict[str, Any]]:
        assert request.width is not None and request.height is not None
        schedule = self._schedule(request, opts)
        classic = self.preset.variant != "condition" and schedule is None
        if classic and request.task == Task.T2V:
            return self._pipeline("LTXPipeline"), {}, {}
        # diffusers' LTXImageToVideoPipeline draws the decode noise of timestep-aware VAEs (0.9.1+)
        # with torch.randn on the GPU, which rejects the CPU generator that keeps seeds portable;
        # for those the condition pipeline does the same job with the image pinned at frame 0.
        simple_vae = not self.pipe.vae.config.timestep_conditioning
        if classic and simple_vae and request.task == Task.I2V and not request.end_image:
            if not request.start_image:
                raise InvalidRequest("i2v needs a start image (--image)", param="start_image")
            image = media.load_fitted(request.start_image, request.width, request.height, "start_image")
            return self._pipeline("LTXImageToVideoPipeline"), {"image": image}, {}
        pipe = self._pipeline("LTXConditionPipeline")
        inputs: dict[str, Any] = {
            "image_cond_noise_scale": opts.image_cond_noise_scale,
            "timesteps": schedule,
        }
        extra: dict[str, Any] = {}
        if request.task == Task.EXTEND:
            condition, extra["extend_context_frames"] = cond.extend_condition(
                request, cond.read_source(request)
            )
            inputs["conditions"] = [condition]
        elif request.task == Task.V2V:
            clip = cond.source_clip(request, cond.read_source(request))
            inputs["latents"] = cond.encode_clip(pipe, clip, request.width, request.height)
            inputs["denoise_strength"] = request.source_strength
        else:
            inputs["conditions"] = cond.image_conditions(request) or None
        return pipe, inputs, extra

    def _pipeline(self, name: str) -> Any:
        """The task pipeline ``name`` over the loaded components; no weights are copied."""
        import diffusers

        pipe = self.pipes.get(name)
        if pipe is None:
            pipe = self.pipes[name] = getattr(diffusers, name)(**self.pipe.components)
        if pipe is not self.pipe_active and self.plan is not None and self.plan.strategy == "model_offload":
            # Model offload keeps its hook chain on the pipeline object: hand it to the one about to run.
            pipe.enable_model_cpu_offload(device=self.plan.device)
        self.pipe_active = pipe
        return pipe

    def _previewer(self, pipe: Any, request: GenerationRequest) -> Any:
        assert request.num_frames is not None and request.width is not None and request.height is not None
        frames = (request.num_frames - 1) // pipe.vae_temporal_compression_ratio + 1
        height = request.height // pipe.vae_spatial_compression_ratio
        width = request.width // pipe.vae_spatial_compression_ratio
        p, pt = pipe.transformer_spatial_patch_size, pipe.transformer_temporal_patch_size
        tokens = (frames // pt) * (height // p) * (width // p)

        def preview(latents: torch.Tensor) -> np.ndarray:
            # The callback's latents are packed tokens (B, N, C); condition pipelines put the
            # pinned frames' tokens first, so the clip's own tokens are the last ``tokens``.
            video = pipe._unpack_latents(latents[:, -tokens:], frames, height, width, p, pt)
            return cond.ltx_latent_preview(video)

        return preview

    def working_gib(self, request: GenerationRequest) -> float:
        """Activation peak: the transformer's tokens (CFG doubles them) or the VAE decode, whichever is larger."""
        width = request.width or self.preset.width
        height = request.height or self.preset.height
        frames = request.num_frames or self.preset.num_frames
        per_frame = (height // 32) * (width // 32)
        tokens = ((frames - 1) // 8 + 1 + len(request.keyframes) + bool(request.end_image)) * per_frame
        guidance = self.preset.guidance if request.guidance is None else request.guidance
        batch = 2 if guidance > 1 else 1
        hidden = 4096 if self.preset.parts_gib.get("transformer", 0.0) > 10 else 2048
        transformer = batch * tokens * hidden * _ACT_BYTES_PER_UNIT / GIB
        vae = frames * height * width * _VAE_BYTES_PER_PIXEL / GIB
        return 0.5 + max(transformer, vae)
