"""HunyuanVideo backend: text-to-video and LLaVA-conditioned image-to-video through diffusers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from reelgen.core.backends import hunyuan_tiny
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
from reelgen.core.devices import torch_dtype
from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.request import GenerationRequest, Task
from reelgen.core.spec.rules import SizeRules
from reelgen.core.types import Video, to_fraction

if TYPE_CHECKING:
    from reelgen.core.progress import Progress
    from reelgen.core.spec.memory import MemoryPlan
    from reelgen.core.weights import WeightSource

GIB = 1024**3

# Sides: VAE 8x spatial times the transformer's 2x2 patch; frames 4k+1 (VAE 4x temporal).
RULES = SizeRules(label="HunyuanVideo", multiple=16, frame_step=4, frame_offset=1)

T2V, I2V = "t2v", "i2v"


class HunyuanOptions(BaseModel):
    """HunyuanVideo knobs beyond the common request."""

    model_config = ConfigDict(extra="forbid")

    true_cfg_scale: float = Field(
        default=1.0,
        ge=1.0,
        le=20.0,
        description="Real classifier-free guidance against the negative prompt when above 1 (two "
        "transformer passes per step). HunyuanVideo is guidance-distilled: `guidance` is embedded "
        "in the model, so 1.0 (off) is the published default.",
    )
    flow_shift: float | None = Field(
        default=None,
        gt=0.0,
        description="Timestep shift of the flow scheduler; None keeps the checkpoint's (7.0). "
        "Lower values (e.g. 5) suit short or small clips.",
    )


#: Resident 16-bit sizes: transformer 12.8B params, LLaMA-3-8B text encoder 7.5B (LLaVA with its
#: CLIP vision tower and LM head 8.3B), CLIP-L text encoder 123M, causal 3D VAE 246M.
_PARTS = {"transformer": 23.88, "text_encoder": 13.98, "text_encoder_2": 0.23, "vae": 0.46}
_PARTS_I2V = {**_PARTS, "text_encoder": 15.51}
_TINY_PARTS = {"transformer": 0.001, "text_encoder": 0.001, "text_encoder_2": 0.001, "vae": 0.001}

PRESETS = (
    Preset(
        name="hunyuan",
        family="hunyuan",
        repo_id="hunyuanvideo-community/HunyuanVideo",
        tasks=frozenset({Task.T2V}),
        variant=T2V,
        description="HunyuanVideo 13B text-to-video at 720p (guidance-distilled, CFG 6 embedded)",
        width=1280,
        height=720,
        num_frames=129,
        fps=24.0,
        steps=50,
        guidance=6.0,
        parts_gib=_PARTS,
    ),
    Preset(
        name="hunyuan-i2v",
        family="hunyuan",
        repo_id="hunyuanvideo-community/HunyuanVideo-I2V",
        tasks=frozenset({Task.I2V}),
        variant=I2V,
        description="HunyuanVideo-I2V 13B: animates a start image (token-replace conditioning, "
        "LLaVA text+image encoder)",
        width=1280,
        height=720,
        num_frames=129,
        fps=24.0,
        steps=50,
        guidance=6.0,
        parts_gib=_PARTS_I2V,
    ),
    Preset(
        name="hunyuan-tiny",
        family="hunyuan",
        repo_id=None,
        tasks=frozenset({Task.T2V}),
        variant=T2V,
        tiny=True,
        description="HunyuanVideo classes with tiny random weights, for tests and CPU demos",
        width=64,
        height=64,
        num_frames=9,
        fps=24.0,
        steps=2,
        guidance=6.0,
        parts_gib=_TINY_PARTS,
    ),
    Preset(
        name="hunyuan-i2v-tiny",
        family="hunyuan",
        repo_id=None,
        tasks=frozenset({Task.I2V}),
        variant=I2V,
        tiny=True,
        description="HunyuanVideo-I2V classes (tiny LLaVA encoder) with tiny random weights",
        width=64,
        height=64,
        num_frames=9,
        fps=24.0,
        steps=2,
        guidance=6.0,
        parts_gib=_TINY_PARTS,
    ),
)


class HunyuanBackend(Backend):
    """HunyuanVideo 13B: ``HunyuanVideoPipeline`` (t2v) or ``HunyuanVideoImageToVideoPipeline`` (i2v).

    Each checkpoint is one task: the I2V model's text encoder is a LLaVA that reads the start
    image together with the prompt, and its transformer replaces the first latent frame's
    tokens with the encoded image.
    """

    info: ClassVar[BackendInfo] = BackendInfo(
        family="hunyuan",
        label="HunyuanVideo",
        tasks=frozenset({Task.T2V, Task.I2V}),
        presets=PRESETS,
        rules=RULES,
        options=HunyuanOptions,
    )

    def __init__(self, preset: Preset) -> None:
        super().__init__(preset)
        self.pipe: Any = None
        self._scheduler_config: dict[str, Any] = {}

    # ---- tiny build -----------------------------------------------------------------------------

    @classmethod
    def build_tiny(cls, preset: Preset, folder: Path) -> None:
        """Real HunyuanVideo classes from tiny configs, seeded weights and in-memory tokenizers."""
        hunyuan_tiny.build_hunyuan(folder, image=preset.variant == I2V)

    # ---- load -----------------------------------------------------------------------------------

    def load(self, source: WeightSource, plan: MemoryPlan) -> None:
        """Load the checkpoint (a diffusers folder, or a single-file transformer on the cached base)."""
        import torch
        from diffusers import HunyuanVideoImageToVideoPipeline, HunyuanVideoPipeline

        dtype = torch.float32 if plan.device == "cpu" else torch_dtype(plan.dtype)
        cls = HunyuanVideoImageToVideoPipeline if self.preset.variant == I2V else HunyuanVideoPipeline
        if source.kind == "single_file":
            self.pipe = self._load_single_file(cls, source, dtype)
        else:
            self.pipe = cls.from_pretrained(str(source.path), dtype=dtype, local_files_only=True)
        self.source, self.plan = source, plan
        self._scheduler_config = dict(self.pipe.scheduler.config)
        apply_plan(self.pipe, plan)
        enable_gpu_vae_tiling(self.pipe, plan)

    def _load_single_file(self, cls: Any, source: WeightSource, dtype: Any) -> Any:
        from diffusers import HunyuanVideoTransformer3DModel

        transformer = single_file_transformer(HunyuanVideoTransformer3DModel, source, self.preset, dtype)
        return cls.from_pretrained(
            str(source.base), transformer=transformer, dtype=dtype, local_files_only=True
        )

    # ---- checks ---------------------------------------------------------------------------------

    def validate_inputs(self, request: GenerationRequest) -> None:
        if request.end_image:
            raise InvalidRequest(
                f"{self.preset.name} animates a start image only and cannot pin a last frame; "
                "for first+last frame use framepack",
                param="end_image",
            )

    # ---- generate -------------------------------------------------------------------------------

    def generate(self, request: GenerationRequest, progress: Progress) -> Video:
        """Run one request; returns ``num_frames`` frames at ``request.fps``."""
        from reelgen.core import media

        assert request.width and request.height and request.num_frames and request.steps
        assert request.seed is not None and request.guidance is not None and request.fps
        options = HunyuanOptions.model_validate(request.options)
        i2v = self.preset.variant == I2V

        # 1. LoRAs go into the transformer; a cached pipeline drops the previous run's first.
        self.lora_records = apply_loras(self.pipe, request.loras)

        # 2. Task inputs, and the sampler with the request's flow shift.
        kwargs: dict[str, Any] = {}
        if i2v:
            kwargs["image"] = media.load_fitted(
                request.start_image or "", request.width, request.height, "start_image"
            )
        if options.true_cfg_scale > 1.0:
            kwargs["negative_prompt"] = request.negative_prompt or ""
        if self.preset.tiny:
            kwargs["prompt_template"] = hunyuan_tiny.prompt_template(self.pipe, image=i2v)
        self.pipe.scheduler = fresh_scheduler(self.pipe, self._scheduler_config, options.flow_shift)

        # 3. Denoise with progress, previews and cancel between steps; decode to frames.
        tracker = progress.stage("denoise", request.steps)
        result = self.pipe(
            prompt=request.prompt,
            width=request.width,
            height=request.height,
            num_frames=request.num_frames,
            num_inference_steps=request.steps,
            guidance_scale=request.guidance,
            true_cfg_scale=options.true_cfg_scale,
            generator=generator(request.seed),
            output_type="np",
            callback_on_step_end=step_callback(tracker, latent_preview),
            callback_on_step_end_tensor_inputs=["latents"],
            **kwargs,
        )
        return Video(frames_to_uint8(result.frames[0]), to_fraction(request.fps))

    # ---- memory ---------------------------------------------------------------------------------

    def working_gib(self, request: GenerationRequest) -> float:
        """Activation peak of one run; see ``working_gib_for``."""
        return working_gib_for(request, dim=24 if self.preset.tiny else 3072)


# ---- shared by the HunyuanVideo-based families (FramePack) ---------------------------------------


def working_gib_for(
    request: GenerationRequest, dim: int, latent_frames: int | None = None, text_tokens: int = 512
) -> float:
    """Activation peak: transformer hidden states at the token count, tiled VAE decode, the clip.

    Tokens are latent frames x (H/16) x (W/16). A block holds a few copies of the
    hidden states (q, k, v, attention out, residual) plus the 4x MLP; SDPA keeps
    no score matrix. The VAE always decodes in tiles on a GPU (``enable_gpu_vae_tiling``),
    so its peak is a fixed tile's worth; the decoded clip is held in float32 twice.
    """
    width, height, frames = request.width or 0, request.height or 0, request.num_frames or 0
    latent_frames = latent_frames or (frames - 1) // 4 + 1
    tokens = latent_frames * (height // 16) * (width // 16) + text_tokens
    transformer = tokens * dim * (5 + 4) * 2 / GIB
    vae_tile = 256 * 256 * 128 * 17 * 2 * 6 / GIB  # 256 px tiles of 17 frames, 128 channels, ~6 live
    clip = frames * width * height * 3 * 4 * 2 / GIB
    return round(0.5 + max(transformer, vae_tile) + clip, 2)


def enable_gpu_vae_tiling(pipe: Any, plan: MemoryPlan) -> None:
    """Tile the VAE on GPUs: un-tiled, HunyuanVideo decodes a whole 720p clip at once (far
    beyond any single card), and every published recipe tiles. CPU runs stay exact."""
    if plan.device != "cpu":
        pipe.vae.enable_tiling()


def fresh_scheduler(pipe: Any, config: dict[str, Any], flow_shift: float | None) -> Any:
    """A new scheduler from the checkpoint's config, with the request's flow shift if any."""
    cls = type(pipe.scheduler)
    return cls.from_config(config) if flow_shift is None else cls.from_config(config, shift=flow_shift)
