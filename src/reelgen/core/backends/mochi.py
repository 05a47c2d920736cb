"""Mochi 1 (Genmo): text-to-video with a 10B asymmetric diffusion transformer and a T5-XXL encoder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
from reelgen.core.devices import torch_dtype
from reelgen.core.errors import InvalidRequest
from reelgen.core.progress import Progress
from reelgen.core.spec.memory import MemoryPlan
from reelgen.core.spec.request import GenerationRequest, Task
from reelgen.core.spec.rules import SizeRules
from reelgen.core.types import Video, to_fraction
from reelgen.core.weights import WeightSource

FAMILY = "mochi"
GIB = 1024**3

# The VAE compresses 8x in space and 6x in time; the transformer patches 2x2 latents.
RULES = SizeRules(
    "Mochi 1: sides multiples of 16, frames 6k+1 up to 163",
    multiple=16,
    max_side=1280,
    frame_step=6,
    frame_offset=1,
    max_frames=163,
)

PRESETS = (
    Preset(
        name="mochi-1",
        family=FAMILY,
        repo_id="genmo/mochi-1-preview",
        description="Mochi 1 preview 10B: 848x480 text-to-video at 30 fps",
        tasks=frozenset({Task.T2V}),
        width=848,
        height=480,
        num_frames=85,
        fps=30.0,
        steps=64,
        guidance=4.5,
        parts_gib={"transformer": 18.6, "text_encoder": 8.9, "vae": 0.8},
    ),
    Preset(
        name="mochi-tiny",
        family=FAMILY,
        repo_id=None,
        description="tiny random Mochi for tests and demos (no download)",
        tasks=frozenset({Task.T2V}),
        width=32,
        height=32,
        num_frames=7,
        fps=30.0,
        steps=2,
        guidance=4.5,
        parts_gib={"transformer": 0.001, "text_encoder": 0.001, "vae": 0.001},
        tiny=True,
    ),
)


class MochiBackend(Backend):
    """Mochi 1 through diffusers' MochiPipeline."""

    info = BackendInfo(
        family=FAMILY,
        label="Mochi 1",
        tasks=frozenset({Task.T2V}),
        presets=PRESETS,
        rules=RULES,
    )

    def __init__(self, preset: Preset) -> None:
        super().__init__(preset)
        self.pipe: Any = None

    @classmethod
    def build_tiny(cls, preset: Preset, folder: Path) -> None:
        import torch
        from diffusers import (
            AutoencoderKLMochi,
            FlowMatchEulerDiscreteScheduler,
            MochiPipeline,
            MochiTransformer3DModel,
        )

        from reelgen.core.backends import tiny

        torch.manual_seed(0)
        transformer: Any = MochiTransformer3DModel(
            patch_size=2,
            num_attention_heads=2,
            attention_head_dim=8,
            num_layers=2,
            pooled_projection_dim=16,
            in_channels=12,
            qk_norm="rms_norm",
            text_embed_dim=tiny.TEXT_DIM,
            time_embed_dim=4,
            activation_fn="swiglu",
            max_sequence_length=16,
        )
        # The RoPE frequencies start as zeros (they are learned); seeded values make the tiny model move.
        with torch.no_grad():
            transformer.pos_frequencies.normal_(0.0, 0.5)
        torch.manual_seed(0)
        # The Mochi VAE's group norms have 32 groups, so 32 channels is its floor.
        vae = AutoencoderKLMochi(
            latent_channels=12,
            out_channels=3,
            encoder_block_out_channels=(32, 32, 32, 32),
            decoder_block_out_channels=(32, 32, 32, 32),
            layers_per_block=(1, 1, 1, 1, 1),
        )
        tokenizer = tiny.t5_tokenizer()
        pipe = MochiPipeline(
            scheduler=FlowMatchEulerDiscreteScheduler(),
            vae=vae,
            text_encoder=tiny.t5_encoder(len(tokenizer)),
            tokenizer=tokenizer,
            transformer=transformer,
        )
        tiny.save_pipeline(pipe, folder)

    def load(self, source: WeightSource, plan: MemoryPlan) -> None:
        from diffusers import MochiPipeline

        if source.kind != "diffusers":
            raise InvalidRequest(
                f"Mochi loads diffusers folders only; {source.path} is a single file. "
                "Give the folder `reelgen pull` or save_pretrained wrote (--weights DIR)",
                param="weights",
            )
        # genmo/mochi-1-preview carries full-precision and bf16 files; read the half-size ones.
        half = plan.dtype == "bfloat16" and any(source.path.rglob("*.bf16.safetensors"))
        self.pipe = MochiPipeline.from_pretrained(
            str(source.path),
            dtype=torch_dtype(plan.dtype),
            variant="bf16" if half else None,
            local_files_only=True,
        )
        self.pipe.set_progress_bar_config(disable=True)
        apply_plan(self.pipe, plan)

    def generate(self, request: GenerationRequest, progress: Progress) -> Video:
        assert request.width and request.height and request.num_frames and request.steps
        assert request.seed is not None and request.fps
        self.lora_records = apply_loras(self.pipe, request.loras)

        # 1. Denoise with per-step progress, cancel and latent previews; decode inside the pipeline.
        tracker = progress.stage("denoise", request.steps)
        out = self.pipe(
            prompt=request.prompt,
            negative_prompt=request.negative_prompt or None,
            height=request.height,
            width=request.width,
            num_frames=request.num_frames,
            num_inference_steps=request.steps,
            guidance_scale=request.guidance,
            generator=generator(request.seed),
            max_sequence_length=self.pipe.transformer.config.max_sequence_length,
            output_type="np",
            callback_on_step_end=step_callback(tracker, latent_preview),
            callback_on_step_end_tensor_inputs=["latents"],
        )
        return Video(frames_to_uint8(out.frames[0]), to_fraction(request.fps))

    def working_gib(self, request: GenerationRequest) -> float:
        """Activation peak: the transformer over every token, or the VAE decode.

        Tokens are latent frames x (H/16) x (W/16) plus 256 text tokens at width
        3072. Without tiling the VAE decodes every frame at once with 128
        full-resolution channels, which is why the planner tiles it on small cards.
        """
        width, height, frames = request.width or 0, request.height or 0, request.num_frames or 0
        tokens = ((frames - 1) // 6 + 1) * (height // 16) * (width // 16) + 256
        dim = 16 if self.preset.tiny else 3072
        transformer = tokens * dim * 10 * 2 / GIB  # q/k/v/out, residual and the FFN, 16-bit
        vae_decode = frames * width * height * 128 * 2 * 2 / GIB
        clip = frames * width * height * 3 * 4 * 2 / GIB
        return round(0.5 + max(transformer, vae_decode) + clip, 2)
