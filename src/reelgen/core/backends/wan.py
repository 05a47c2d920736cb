"""The Wan 2.1 / 2.2 backend: text, image (first/last frame) and video to video through diffusers."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from reelgen.core.backends import wan_presets as wp
from reelgen.core.backends.base import (
    Backend,
    BackendInfo,
    Preset,
    apply_loras,
    apply_plan,
    frames_to_uint8,
    generator,
    latent_preview,
    single_file_transformer,
    step_callback,
)
from reelgen.core.backends.wan_build import build_full_random, build_tiny_pipeline, full_random_parts
from reelgen.core.devices import torch_dtype
from reelgen.core.errors import InvalidRequest
from reelgen.core.types import GenerationRequest, Task, Video, to_fraction

if TYPE_CHECKING:
    from reelgen.core.devices import MemoryPlan
    from reelgen.core.progress import Progress
    from reelgen.core.weights import WeightSource

GIB = 1024**3

__all__ = ["WanBackend", "build_full_random", "full_random_parts"]


class WanBackend(Backend):
    """Wan 2.1 (1.3B, 14B, I2V, FLF2V) and Wan 2.2 (A14B two-expert, TI2V-5B) video models."""

    info: ClassVar[BackendInfo] = BackendInfo(
        family="wan",
        label="Wan",
        tasks=frozenset({Task.T2V, Task.I2V, Task.V2V}),
        presets=wp.PRESETS,
        rules=wp.RULES,
        options=wp.WanOptions,
    )

    def __init__(self, preset: Preset) -> None:
        super().__init__(preset)
        self.pipe: Any = None  # the checkpoint's own pipeline (t2v, or i2v for image models)
        self.pipe_v2v: Any = None  # WanVideoToVideoPipeline sharing pipe's components
        self.pipe_i2v: Any = None  # TI2V-5B's image path, sharing pipe's components
        self._boundary_default: float | None = None
        self._scheduler_config: dict[str, Any] = {}

    @property
    def two_experts(self) -> bool:
        return self.preset.variant in wp.TWO_EXPERT_VARIANTS

    # ---- tiny build -----------------------------------------------------------------------------

    @classmethod
    def build_tiny(cls, preset: Preset, folder: Path) -> None:
        """Real Wan pipeline classes from tiny configs with seeded random weights, saved as a diffusers folder."""
        build_tiny_pipeline(preset, folder)

    # ---- load -----------------------------------------------------------------------------------

    def load(self, source: WeightSource, plan: MemoryPlan) -> None:
        """Load the checkpoint (folder or single-file transformer), keep VAE/CLIP in float32, place by plan."""
        import torch
        from diffusers import WanPipeline, WanVideoToVideoPipeline

        dtype = torch.float32 if plan.device == "cpu" else torch_dtype(plan.dtype)
        # Wan's VAE and CLIP image encoder lose detail in half precision; they are small.
        dtypes = {"vae": torch.float32, "image_encoder": torch.float32, "default": dtype}
        cls = _image_pipeline_class() if self.preset.variant in wp.IMAGE_VARIANTS else WanPipeline
        if source.kind == "single_file":
            self.pipe = self._load_single_file(cls, source, dtype, dtypes)
        else:
            self.pipe = cls.from_pretrained(str(source.path), dtype=dtypes, local_files_only=True)
        self.source, self.plan = source, plan
        self._boundary_default = self.pipe.config.get("boundary_ratio")
        self._scheduler_config = dict(self.pipe.scheduler.config)

        shared = dict(
            tokenizer=self.pipe.tokenizer,
            text_encoder=self.pipe.text_encoder,
            transformer=self.pipe.transformer,
            vae=self.pipe.vae,
            scheduler=self.pipe.scheduler,
        )
        if Task.V2V in self.preset.tasks:
            self.pipe_v2v = WanVideoToVideoPipeline(**shared)
        if self.preset.variant == wp.TI2V and Task.I2V in self.preset.tasks:
            self.pipe_i2v = _image_pipeline_class()(**shared, expand_timesteps=True)
        for pipe in (self.pipe, self.pipe_v2v, self.pipe_i2v):
            if pipe is not None:  # reelgen reports progress itself
                pipe.set_progress_bar_config(disable=True)
        # Sibling pipelines share the modules, so placing the main one places them all.
        apply_plan(self.pipe, plan)

    def _load_single_file(self, cls: Any, source: WeightSource, dtype: Any, dtypes: dict[str, Any]) -> Any:
        from diffusers import WanTransformer3DModel

        if self.two_experts:
            raise InvalidRequest(
                f"{self.preset.name} has two transformer experts; a single checkpoint file cannot hold both. "
                "Give a diffusers folder (--weights DIR) instead",
                param="weights",
            )
        transformer = single_file_transformer(WanTransformer3DModel, source, self.preset, dtype)
        return cls.from_pretrained(
            str(source.base), transformer=transformer, dtype=dtypes, local_files_only=True
        )

    # ---- checks ---------------------------------------------------------------------------------

    def validate_inputs(self, request: GenerationRequest) -> None:
        name, variant = self.preset.name, self.preset.variant
        options = wp.WanOptions.model_validate(request.options)
        if not self.two_experts:
            if request.guidance_2 is not None:
                raise InvalidRequest(
                    f"guidance_2 sets the low-noise expert of Wan 2.2 A14B; {name} has one transformer. "
                    "Leave it unset or use wan22-a14b / wan22-i2v-a14b",
                    param="guidance_2",
                )
            if options.boundary_ratio is not None:
                raise InvalidRequest(
                    f"options.boundary_ratio switches between Wan 2.2 A14B's two experts; {name} has one "
                    "transformer. Leave it unset or use wan22-a14b / wan22-i2v-a14b",
                    param="options.boundary_ratio",
                )
        if variant in wp.NEEDS_END_IMAGE_VARIANTS and request.task == Task.I2V and not request.end_image:
            raise InvalidRequest(
                f"{name} is a first+last frame model and needs end_image too; for a start image alone "
                "use wan-i2v-720p or wan22-i2v-a14b",
                param="end_image",
            )
        if request.end_image:
            if request.task != Task.I2V:
                raise InvalidRequest(
                    "end_image is the last frame of an i2v run; give a start image too (task i2v)",
                    param="end_image",
                )
            if variant not in wp.END_IMAGE_VARIANTS:
                models = sorted(p.name for p in wp.PRESETS if p.variant in wp.END_IMAGE_VARIANTS)
                raise InvalidRequest(
                    f"{name} cannot pin a last frame; first+last frame models: {', '.join(models)}",
                    param="end_image",
                )
            if (request.num_frames or 0) < 5:
                raise InvalidRequest("a first+last frame video needs at least 5 frames", param="num_frames")
        if request.task == Task.V2V and int((request.steps or 0) * request.source_strength) < 1:
            least = 1.0 / (request.steps or 1)
            raise InvalidRequest(
                f"source_strength {request.source_strength} x {request.steps} steps leaves no denoising step; "
                f"use source_strength >= {least:.2f} or more steps",
                param="source_strength",
            )

    # ---- generate -------------------------------------------------------------------------------

    def generate(self, request: GenerationRequest, progress: Progress) -> Video:
        """Run one request through the pipeline its task needs; returns frames at request.fps."""
        assert request.width and request.height and request.num_frames and request.steps
        assert request.seed is not None and request.guidance is not None and request.fps
        task = request.task or request.inferred_task()
        options = wp.WanOptions.model_validate(request.options)
        width, height, frames = request.width, request.height, request.num_frames

        # 1. LoRAs go into the shared transformer(s); Wan 2.2 needs them in both experts.
        self.lora_records = apply_loras(self.pipe, request.loras, into_second_transformer=self.two_experts)

        # 2. Pick the pipeline and its task inputs.
        pipe = self.pipe
        kwargs: dict[str, Any] = {"num_frames": frames}
        steps_run = request.steps
        if task == Task.I2V:
            pipe = self.pipe_i2v or self.pipe
            kwargs.update(self._image_inputs(request))
        elif task == Task.V2V:
            pipe = self.pipe_v2v
            kwargs = {"video": self._source_frames(request), "strength": request.source_strength}
            steps_run = int(request.steps * request.source_strength)
        if self.two_experts:
            pipe.register_to_config(boundary_ratio=options.boundary_ratio or self._boundary_default)
            kwargs["guidance_scale_2"] = request.guidance_2
        pipe.scheduler = self._scheduler(options.flow_shift)

        # 3. Denoise with progress, previews and cancel between steps; decode to frames.
        tracker = progress.stage("denoise", steps_run)
        try:
            result = pipe(
                prompt=request.prompt,
                negative_prompt=request.negative_prompt or None,
                width=width,
                height=height,
                num_inference_steps=request.steps,
                guidance_scale=request.guidance,
                generator=generator(request.seed),
                output_type="np",
                callback_on_step_end=step_callback(tracker, _preview),
                callback_on_step_end_tensor_inputs=["latents"],
                **kwargs,
            )
        finally:
            if pipe is not self.pipe:
                # Offload hooks belong to the main pipeline; re-arm them so nothing stays resident.
                self.pipe.maybe_free_model_hooks()
        return Video(frames_to_uint8(result.frames[0]), to_fraction(request.fps))

    def _image_inputs(self, request: GenerationRequest) -> dict[str, Any]:
        from reelgen.core import media

        width, height = request.width or 0, request.height or 0
        inputs: dict[str, Any] = {
            "image": media.load_fitted(request.start_image or "", width, height, "start_image")
        }
        if request.end_image:
            inputs["last_image"] = media.load_fitted(request.end_image, width, height, "end_image")
        return inputs

    def _source_frames(self, request: GenerationRequest) -> list[Any]:
        from reelgen.core import media

        frames = request.num_frames or 0
        video = media.read_video(request.source_video or "", max_frames=frames)
        if video.num_frames < frames:
            usable = (video.num_frames - 1) // 4 * 4 + 1
            raise InvalidRequest(
                f"source_video has {video.num_frames} frames but {frames} were asked for; "
                f"ask for num_frames={usable} or give a longer video",
                param="num_frames",
            )
        return media.fit_video(video, request.width or 0, request.height or 0, frames)

    def _scheduler(self, flow_shift: float | None) -> Any:
        """A fresh scheduler from the checkpoint's config, with the request's flow shift if any."""
        cls = type(self.pipe.scheduler)
        if flow_shift is None:
            return cls.from_config(self._scheduler_config)
        key = "flow_shift" if "flow_shift" in self._scheduler_config else "shift"
        return cls.from_config(self._scheduler_config, **{key: flow_shift})

    # ---- memory ---------------------------------------------------------------------------------

    def working_gib(self, request: GenerationRequest) -> float:
        """Activation peak: transformer block activations at the token count, or the VAE decode.

        Tokens are latent frames x (H/16) x (W/16) (TI2V-5B: /32). The transformer
        peak holds a few copies of the hidden states plus the FFN intermediate
        (SDPA attention keeps no score matrix). The Wan VAE decodes one latent
        frame (4 video frames) at a time with a cache, so its peak grows with
        frame area, not clip length; the decoded clip itself is held in float32.
        """
        width, height, frames = request.width or 0, request.height or 0, request.num_frames or 0
        spatial = 32 if self.preset.variant == wp.TI2V else 16
        tokens = ((frames - 1) // 4 + 1) * (height // spatial) * (width // spatial)
        dim, ffn = _dims(self.preset)
        transformer = tokens * (6 * dim + ffn) * 2 / GIB  # bf16 hidden states, q/k/v/out, FFN
        # 96 channels x 6 cached frames in fp32, ~16 live copies: calibrated on the 28.1 GiB peak
        # measured for wan-1.3b at 832x480x81 (docs/benchmarks.md).
        vae_decode = width * height * 96 * 6 * 4 * 16 / GIB
        clip = frames * width * height * 3 * 4 * 2 / GIB  # decoded float32 clip + its postprocessed copy
        return round(0.5 + max(transformer, vae_decode) + clip, 2)


@cache
def _image_pipeline_class() -> Any:
    """WanImageToVideoPipeline whose CLIP branch sees one image unless the transformer embeds a pair.

    Stock diffusers hands CLIP both frames whenever ``last_image`` is given, which
    only FLF2V's transformer (``pos_embed_seq_len``) accepts. Wan 2.1 I2V models
    take the start image's CLIP features and get the last frame through the
    latent condition and mask, as ComfyUI's first-last-frame workflow does.
    """
    from diffusers import WanImageToVideoPipeline

    stock: Any = WanImageToVideoPipeline

    class WanImageToVideoFirstLast(stock):
        def encode_image(self, image: Any, device: Any = None) -> Any:
            transformer = getattr(self, "transformer", None)
            pairs = transformer is not None and transformer.config.get("pos_embed_seq_len")
            if isinstance(image, list) and not pairs:
                image = image[0]
            return stock.encode_image(self, image, device)

    return WanImageToVideoFirstLast


def _dims(preset: Preset) -> tuple[int, int]:
    """Hidden and FFN width of the preset's transformer (tiny models are negligible)."""
    if preset.tiny:
        return 24, 32
    if preset.name == "wan-1.3b":
        return 1536, 8960
    if preset.variant == wp.TI2V:
        return 3072, 14336
    return 5120, 13824


def _preview(latents: Any) -> Any:
    return latent_preview(latents, wp.LATENT_RGB_FACTORS)
